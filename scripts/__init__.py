"""Maintenance scripts (catalog and institution builds, the licence report); run from the Makefile."""
