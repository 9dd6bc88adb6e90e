"""Posting with Care on JupyterHub: one room (a cohort on one link) on one machine.

``python -m hub open ROSTER`` (``make hub ROSTER=roster.csv``) makes a Unix account per learner
and one for the trainer, builds the shared runtime, lays out the trainer's private course folder
and nbgrader's exchange, and runs JupyterHub with per-person passwords, the idle-culler and the
room's live vote. Nothing here runs inside a learner's server: learner code lives in ``course/``,
the trainer's grading code in ``grader/``.
"""
