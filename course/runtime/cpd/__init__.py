"""The learner's CPD record: create it from the saved progress, and verify a record file
(also from a terminal: ``python -m course.runtime.cpd verify cpd-record-2025-03-14.html``).
"""

from course.runtime.cpd.code import Verification, verify
from course.runtime.cpd.record import LessonRow, create, render, rows

__all__ = ["LessonRow", "Verification", "create", "render", "rows", "verify"]
