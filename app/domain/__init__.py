"""Pure domain: calendar arithmetic, deadline rules, clocks and periods.

Nothing here imports a web framework, a database driver or pydantic; a test enforces it.
"""
