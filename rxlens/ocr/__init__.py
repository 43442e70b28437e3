"""Text recognition engines behind one small Protocol."""
