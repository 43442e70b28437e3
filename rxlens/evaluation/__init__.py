"""Generated test data with ground truth: OCR-style name variants (variants.py) and photos of
prescriptions in eight layout families (layouts/), written from the NHI frequency code list and
the shapes of real slips, never from the extractor's grammar."""
