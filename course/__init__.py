"""Posting with Care: the learner's side of the course (scenario bank, framework, widgets)."""
