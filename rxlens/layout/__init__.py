"""Group OCR boxes into rows and table cells."""
