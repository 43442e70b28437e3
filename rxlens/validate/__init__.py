"""Arithmetic and completeness checks on an extracted record."""
