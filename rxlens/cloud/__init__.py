"""The optional cloud engine (Gemini): two calls a request, structured output, rate control."""
