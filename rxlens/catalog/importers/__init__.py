"""Readers for the official exports and a clinic formulary; each yields Product records."""

from rxlens.catalog.importers.files import SourceKind, read_source

__all__ = ["SourceKind", "read_source"]
