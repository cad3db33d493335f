"""The configuration files of the processes scripts/server runs natively."""
