"""The course's content as validated data: schemas and loaders for the scenario bank, the
framework (rules and principles), the lessons' metadata and the response situations."""
