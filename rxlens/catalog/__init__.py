"""The drug catalog: data model, importers, store and the in-memory match index."""

from rxlens.catalog.codes import code_pattern

__all__ = ["code_pattern"]
