"""rxlens: photos of Taiwanese drug bags and prescription slips → one structured medication record."""

__version__ = "0.1.0"
