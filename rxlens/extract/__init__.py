"""Rules that turn rows of text into header fields and medications."""
