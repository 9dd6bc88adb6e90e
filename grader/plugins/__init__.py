"""nbgrader plugins of the course, one transform per module.

* :class:`ClearAnswers` (release): answer lines become ``name = "?"``.
* :class:`LiteralScoring` (autograde, in place of ``Execute``): scores literal answers, runs
  nothing, and writes each grade cell's points and feedback as its output.
"""

from grader.plugins.clear_answers import ClearAnswers, blank_answer_lines
from grader.plugins.literal_scoring import LiteralScoring

__all__ = ["ClearAnswers", "LiteralScoring", "blank_answer_lines"]
