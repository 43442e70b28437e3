"""Generated test data with ground truth: OCR-style name variants and rendered prescription photos."""
