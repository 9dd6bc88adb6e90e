"""Posting with Care: the assessor's side (nbgrader plugins, answer keys, cohort grading)."""
