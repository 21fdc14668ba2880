"""The assistant: a built-in offline engine and any OpenAI-compatible model, one interface."""
