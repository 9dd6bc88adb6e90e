"""Authoring tools, for the course's writers and its tests only (not installed for learners):
building the lesson notebooks, and the invented-data and copy checks."""
