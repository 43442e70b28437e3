"""Maintenance scripts: catalog and institution builds, the licence report, the import graph.

A package so that tests can import their pieces."""
