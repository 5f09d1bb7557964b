"""Reference data shipped with the service (TOML), parsed into domain values."""
