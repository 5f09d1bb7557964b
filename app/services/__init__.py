"""Use cases: load, call the domain, persist. Services flush; the request commits."""
