"""The course's nbgrader configuration, in one place.

``nbgrader_config.py`` at the repository root merges :func:`course_config` for the repository;
``python -m grader.release`` and the tests merge it for a temporary course folder. Settings:

* ``solutions/`` is nbgrader's source folder, ``exercises/`` its release folder;
* release: :class:`~grader.plugins.ClearAnswers` in place of ``ClearSolutions``;
* autograde: :class:`~grader.plugins.LiteralScoring` in place of ``Execute`` (nothing runs);
* feedback: the course's template, which shows each item's feedback and never test code;
* the learner's Validate button words its summary for non-programmers.
"""

from __future__ import annotations

import os
from pathlib import Path

from traitlets.config import Config

from course.answer_language import POLICY_STUB

COURSE_ID = "posting-with-care"
TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_EXCHANGE = Path.home() / ".local" / "share" / "posting-with-care" / "exchange"


def _replace(classes: list, old: str, new: type) -> list:
    swapped = [new if getattr(cls, "__name__", cls) == old else cls for cls in classes]
    if new not in swapped:
        raise RuntimeError(f"nbgrader's pipeline has no {old} step to replace")
    return swapped


def course_config(
    root: str | os.PathLike,
    *,
    db_url: str | None = None,
    exchange_root: str | os.PathLike | None = None,
) -> Config:
    """nbgrader settings for a course folder ``root`` (with ``solutions/`` inside)."""
    from nbgrader.converters import Autograde, GenerateAssignment
    from nbgrader.server_extensions.formgrader import __file__ as formgrader_file

    from grader.plugins import ClearAnswers, LiteralScoring

    root = Path(root).resolve()
    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.source_directory = "solutions"
    c.CourseDirectory.release_directory = "exercises"
    c.CourseDirectory.db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"

    c.GenerateAssignment.preprocessors = _replace(
        GenerateAssignment.class_traits()["preprocessors"].make_dynamic_default(),
        "ClearSolutions",
        ClearAnswers,
    )
    c.ClearSolutions.text_stub = POLICY_STUB
    c.Autograde.autograde_preprocessors = _replace(
        Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default(),
        "Execute",
        LiteralScoring,
    )

    # feedback pages only: formgrader's own HTMLExporter (no parent) keeps its formgrade template
    c.GenerateFeedback.HTMLExporter.template_name = "feedback"  # nbgrader's
    c.GenerateFeedback.HTMLExporter.template_file = "pwc_feedback.html.j2"
    c.GenerateFeedback.HTMLExporter.extra_template_basedirs = [
        str(TEMPLATES),
        str(Path(formgrader_file).parent / "templates"),
    ]

    exchange = Path(exchange_root) if exchange_root else DEFAULT_EXCHANGE
    try:
        exchange.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the assignment list then says the folder is missing; lab still starts
    c.Exchange.root = str(exchange)

    c.Validator.width = 100
    c.Validator.failed_warning = (
        "{num_failed} answer(s) still need attention (listed below). This check never says "
        "whether an answer is right.\n"
    )
    return c
