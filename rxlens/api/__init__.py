"""The HTTP service: a thin shell over the pipeline."""
