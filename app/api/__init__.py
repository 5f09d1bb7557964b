"""HTTP layer: thin routers, request/response schemas, dependencies, problem+json errors."""
