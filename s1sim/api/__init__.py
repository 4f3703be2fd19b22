"""The SentinelOne management API endpoints, one module per area."""
