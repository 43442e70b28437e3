"""Intake: check, decode, orient and downscale the user's photos."""
