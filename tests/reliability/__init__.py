"""The reliability tier: processes killed under load, nothing lost."""
