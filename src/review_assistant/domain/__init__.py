"""The review model: plain data and rules, with no UI and no storage."""
