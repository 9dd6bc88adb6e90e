"""The learner's own copy of an exercise notebook, and where they are with it.

On first open, the released notebook (``exercises/exNN_slug/exNN_slug.ipynb``: no answers, no
key) is copied into the learner's private folder::

    ~/.posting-with-care/exercises/exNN_slug/attempt-1/exNN_slug.ipynb
    ~/.posting-with-care/exercises/exNN_slug/attempt-1-marking/    (self-paced marking)
    ~/.posting-with-care/exercises/exNN_slug/state.json

Every answer the app records is written into that copy as its literal answer line
(``post_07 = "not acceptable"``) or, for a written part, as the part's Markdown cell, and the
file is replaced whole in one step. The copy is therefore exactly what nbgrader and the cohort
command mark, and it opens in JupyterLab with the same answers.

``state.json``: ``{"attempt": 1, "status": "in progress" | "submitted" | "marked",
"submitted": ISO, "marked": ISO, "score": S, "max_score": M, "first_marked": {"score", "max_score",
"when", "manual_pending", "self_assessed"}, "self_assessed": true when the learner marked the
written parts themselves (:mod:`course.app.self_assessment`)}``. The first marked attempt's
score is what the CPD record shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat

from course import answer_language as language
from course import answers  # only to read the released set-up cell's arguments
from course.runtime import private

EXERCISES_DIR = Path(__file__).resolve().parents[2] / "exercises"
STATUSES = ("not started", "in progress", "submitted", "marked")


@dataclass(frozen=True)
class Spec:
    """What the released notebook says about its answers (no key: the released file has none)."""

    exercise_id: str
    formats: dict[str, language.AnswerFormat]
    policy: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.formats) + len(self.policy)


def released_path(exercise_id: str) -> Path:
    if not re.fullmatch(r"ex\d{2}_[a-z0-9_]+", exercise_id):
        raise ValueError(f"{exercise_id!r} is not an exercise id")
    return EXERCISES_DIR / exercise_id / f"{exercise_id}.ipynb"


def released_title(exercise_id: str) -> str:
    """'Exercise 1: Acceptable or not?' from the released notebook's first heading."""
    nb = nbformat.read(released_path(exercise_id), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^# (.+)$", cell.source, re.MULTILINE)
            if match:
                return match[1].strip()
    return exercise_id


def spec(exercise_id: str) -> Spec:
    found = answers._setup_arguments(released_path(exercise_id))
    if found is None:
        raise ValueError(f"{released_path(exercise_id)}: no answer set-up cell")
    _, formats, policy = found
    return Spec(
        exercise_id,
        {name: language.AnswerFormat.parse(fmt) for name, fmt in formats.items()},
        dict(policy or {}),
    )


# --- folders and state -------------------------------------------------------------------------
def folder(exercise_id: str) -> Path:
    released_path(exercise_id)  # checks the id
    return private.home() / "exercises" / exercise_id


def state(exercise_id: str) -> dict[str, Any]:
    data = private.read_json(folder(exercise_id) / "state.json")
    if not isinstance(data.get("attempt"), int) or data["attempt"] < 1:
        data["attempt"] = 1
    if data.get("status") not in STATUSES:
        data["status"] = "in progress" if copy_path(exercise_id, data).exists() else "not started"
    return data


def save_state(exercise_id: str, data: dict[str, Any]) -> None:
    private.write_json(folder(exercise_id) / "state.json", data)


def attempt_dir(exercise_id: str, data: dict[str, Any] | None = None) -> Path:
    attempt = (data or state(exercise_id))["attempt"]
    return folder(exercise_id) / f"attempt-{attempt}"


def copy_path(exercise_id: str, data: dict[str, Any] | None = None) -> Path:
    data = data if data is not None else private.read_json(folder(exercise_id) / "state.json")
    attempt = data.get("attempt") if isinstance(data.get("attempt"), int) else 1
    return folder(exercise_id) / f"attempt-{attempt}" / f"{exercise_id}.ipynb"


def ensure_copy(exercise_id: str) -> Path:
    """The learner's current copy, made from the released notebook when there is none yet."""
    data = state(exercise_id)
    path = copy_path(exercise_id, data)
    if not path.exists():
        text = released_path(exercise_id).read_text(encoding="utf-8")
        private.write_private(path, text)
        if data["status"] == "not started":
            data["status"] = "in progress"
        save_state(exercise_id, data)
    return path


def new_attempt(exercise_id: str) -> Path:
    """Start a fresh copy; earlier attempts stay in their folders, untouched."""
    data = state(exercise_id)
    data["attempt"] += 1
    data["status"] = "in progress"
    for key in ("submitted", "marked", "score", "max_score", "manual_pending", "self_assessed"):
        data.pop(key, None)
    save_state(exercise_id, data)
    return ensure_copy(exercise_id)


# --- reading and writing answers --------------------------------------------------------------
def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _grade_id(cell: nbformat.NotebookNode) -> str | None:
    return ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id")


def answer_line(name: str, value: str) -> str:
    """``post_07 = "not acceptable"``: the literal line nbgrader and the cohort command read."""
    if '"' in value or "\\" in value or "\n" in value:
        raise ValueError(f"{value!r} cannot go in an answer line")
    return f'{name} = "{value}"'


def _write(path: Path, nb: nbformat.NotebookNode) -> None:
    private.write_private(path, nbformat.writes(nb) + "\n")


def write_answer(path: Path, name: str, value: str) -> None:
    """Put ``name = "value"`` in the answer's own cell (``answer_<name>``) and save the file."""
    nb = read(path)
    for cell in nb.cells:
        if cell.cell_type == "code" and _grade_id(cell) == f"answer_{name}":
            cell.source = answer_line(name, value)
            _write(path, nb)
            return
    raise KeyError(f"{path.name}: no answer cell for {name}")


def policy_heading(cell_source: str) -> str:
    for line in cell_source.splitlines():
        if line.startswith("#"):
            return line
    return ""


def write_policy(path: Path, section_id: str, text: str) -> None:
    """Replace a written part's Markdown cell with its heading line and the learner's words."""
    nb = read(path)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _grade_id(cell) == section_id:
            heading = policy_heading(cell.source)
            words = text.strip() or language.POLICY_STUB
            cell.source = f"{heading}\n{words}" if heading else words
            _write(path, nb)
            return
    raise KeyError(f"{path.name}: no written part {section_id}")


def current_answers(path: Path, the_spec: Spec) -> dict[str, str | None]:
    """Each answer name -> its canonical answer (None when unanswered or unreadable)."""
    nb = read(path)
    found: dict[str, language.Binding] = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            for binding in language.bindings(cell.source, the_spec.formats):
                found[binding.name] = binding
    result: dict[str, str | None] = {}
    for name, fmt in the_spec.formats.items():
        status, value, _ = language.read_status(name, fmt, found.get(name))
        result[name] = value if status == "answered" else None
    return result


def current_policy(path: Path, the_spec: Spec) -> dict[str, str]:
    """Each written part -> the learner's words so far ('' when none)."""
    nb = read(path)
    texts = {section: "" for section in the_spec.policy}
    for cell in nb.cells:
        grade_id = _grade_id(cell)
        if cell.cell_type == "markdown" and grade_id is not None and grade_id in texts:
            texts[grade_id] = language.policy_text(cell.source)
    return texts


def progress(exercise_id: str) -> tuple[int, int]:
    """(answered, total) in the learner's current copy ((0, total) when there is none)."""
    the_spec = spec(exercise_id)
    path = copy_path(exercise_id)
    if not path.exists():
        return 0, the_spec.total
    done = sum(value is not None for value in current_answers(path, the_spec).values())
    done += sum(bool(text) for text in current_policy(path, the_spec).values())
    return done, the_spec.total


def mark_submitted(exercise_id: str, submitted: bool) -> dict[str, Any]:
    data = state(exercise_id)
    if submitted:
        data["status"] = "submitted"
        data["submitted"] = datetime.now().isoformat(timespec="seconds")
    else:
        data["status"] = "in progress"
        data.pop("submitted", None)
    save_state(exercise_id, data)
    return data
