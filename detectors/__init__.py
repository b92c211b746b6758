"""Text detectors: PII (Presidio + spaCy), secrets, custom recognizers."""
