"""Writing answers: follow-ups, guards, the offline composer, LLM generators, citation checks."""
