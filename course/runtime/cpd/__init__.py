"""The learner's CPD record (self-declared): create it from the saved progress, as a printable
page and a PDF. It claims no verification; see :mod:`course.runtime.cpd.record`.
"""

from course.runtime.cpd.record import LessonRow, create, create_pdf, render, rows

__all__ = ["LessonRow", "create", "create_pdf", "render", "rows"]
