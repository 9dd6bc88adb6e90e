"""nbgrader configuration for Posting with Care (read by `nbgrader ...` and JupyterLab's
formgrader, assignment list and Validate button when started from this folder).

Everything is set in grader/nbconfig.py: solutions/ is nbgrader's source folder, exercises/
its release, answers are scored from their literal values (no learner code runs), and the
gradebook (gradebook.db) stays here, outside git. Add your own settings below, for example
`c.LiteralScoring.show_correct_answer = True` for a practice run (see docs/exercises.md).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from grader.nbconfig import course_config  # noqa: E402

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader reads this file
c.merge(course_config(HERE))
