"""Maintenance scripts (run as files); a package so that tests can import their pieces."""
