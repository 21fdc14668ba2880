"""The Textual terminal app, built on top of the core packages."""
