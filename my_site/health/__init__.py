"""Health of the instance's dependencies, for load balancers and monitoring."""
