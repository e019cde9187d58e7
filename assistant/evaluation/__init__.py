"""Evaluation: question sets, metrics (pure functions), runs and reports."""
