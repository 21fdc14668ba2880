"""The ``review-assistant`` command line."""
