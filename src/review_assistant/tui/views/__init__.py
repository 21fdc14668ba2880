"""One workspace widget per review phase."""
