"""Cohort grading: one command from a pile of submissions to grades, feedback and a report.

The steps, in order, live in :mod:`grader.cohort.pipeline`; the command line in
:mod:`grader.__main__`. See ``docs/cohort-grading.md``.
"""
