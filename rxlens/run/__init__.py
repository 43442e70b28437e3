"""What happens around the pipeline's stages for one request: its state and stage calls
(timeouts, errors, timings), the engine choice and cloud fallback, the usage block and metrics.

`pipeline.py` names the stages and schedules them; everything here serves it and imports nothing
above `services`.
"""
