"""review-assistant: lead a blameless incident review from the terminal."""

__version__ = "0.1.0"
