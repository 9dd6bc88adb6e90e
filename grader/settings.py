"""The trainer's feedback setting: does feedback show the correct answer?

Default: **hidden**. Keys are reused from cohort to cohort, so an assessed run must not leak
them. For a practice run, a trainer turns answers on, either for one nbgrader command::

    nbgrader autograde ex01_classify_posts --LiteralScoring.show_correct_answer=True

or for every command in a shell, through the environment (``all``, ``none``, or a
comma-separated list of assignment ids)::

    export PWC_SHOW_ANSWERS=ex01_classify_posts,ex02_rules_and_responses

Whatever the setting, feedback always says whether each answer was right; for a right answer it
always gives the rule, the principle and the explanation. For a wrong or missing answer it
gives them (and the answer) only when answers are shown, and otherwise a hint that does not
give the answer away.
"""

from __future__ import annotations

import os

ENV_VAR = "PWC_SHOW_ANSWERS"


def show_correct_answers(assignment_id: str, override: bool | None = None) -> bool:
    """Whether feedback for ``assignment_id`` shows correct answers (``override`` wins)."""
    if override is not None:
        return bool(override)
    value = os.environ.get(ENV_VAR, "").strip().casefold()
    if value in ("", "none", "0", "false", "no", "off"):
        return False
    if value in ("all", "1", "true", "yes", "on"):
        return True
    return assignment_id.casefold() in {part.strip() for part in value.split(",")}
