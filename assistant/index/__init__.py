"""Embedding, storing and searching the clauses."""
