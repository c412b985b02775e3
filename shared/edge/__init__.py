"""The HTTP edge every API function shares: resolver, problem+json, request parameters."""
