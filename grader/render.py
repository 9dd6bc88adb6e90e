"""HTML rendering for the grader: one autoescaping Jinja environment over the course's templates
(the cohort's pages in ``grader/cohort/templates``, the shared item-feedback template in
``grader/templates/items``), and the names of rules and principles for them."""

from __future__ import annotations

from functools import cache

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from course.catalogue import wording


@cache
def environment() -> Environment:
    """The template environment; every value is HTML-escaped unless marked safe."""
    loader = ChoiceLoader([PackageLoader("grader.cohort", "templates"),
                           PackageLoader("grader", "templates/items")])
    env = Environment(loader=loader,
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["points"] = points
    env.filters["percent"] = lambda v: "–" if v != v else f"{v * 100:.0f}%"
    env.filters["decimal"] = lambda v: "–" if v != v else f"{v:.2f}"
    return env


def points(value: float | None) -> str:
    """``17.0`` → ``17``, ``16.5`` → ``16.5``, None → empty."""
    if value is None:
        return ""
    return f"{value:g}"


def framework_names() -> tuple[dict[str, str], dict[str, str]]:
    """Rule id → 'Rule 1: title' and principle id → name (:mod:`course.catalogue.wording`)."""
    return wording.rule_names(), wording.principle_names()
