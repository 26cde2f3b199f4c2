"""The ``civicpulse`` command line."""
