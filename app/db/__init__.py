"""Persistence: SQLAlchemy models, engine, embedded PostgreSQL, repositories (queries live here)."""
