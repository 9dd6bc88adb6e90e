"""The learner's runtime: what runs in a lesson's kernel (the one-line entry points, the
widgets, progress, reflections and the CPD record)."""
