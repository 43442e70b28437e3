"""The drug catalog: data model, importers, store and the in-memory match index."""
