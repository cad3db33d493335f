"""Maintenance of the instance: keeping its search indices in step with the code."""
