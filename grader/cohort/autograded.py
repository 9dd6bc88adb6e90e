"""nbgrader's ``autograded/`` copy of each graded learner's notebook, so that formgrader can
open the submission (ex03's written parts are marked there) and ``nbgrader generate_feedback``
can build the learner's page from it.

The copy is what ``nbgrader autograde`` with the course's configuration writes to
``autograded/<student>/<assignment>/<notebook>.ipynb``, with ``timestamp.txt``:

* a notebook that kept all its nbgrader cells is cleaned as autograde's first pass does
  (outputs cleared; a grade id used twice kept on its last cell only; markings unknown to the
  release removed; every nbgrader cell given the release's markings and type, and a locked cell
  its text; the release's kernel); then :func:`grader.plugins.literal_scoring.score_cells`, the
  code of the course's autograde step, writes each grade cell's points and feedback;
* a notebook that lost nbgrader cells or their markings (an LMS round trip, deleted cells) is
  rebuilt from the released notebook, each answer where the cohort's one reading of the
  notebook (:func:`grader.scoring.score_notebook`) found it put into its own cell, so that
  formgrader still shows every part in its place.

The scores written are the cohort's (the file as submitted), so the copy always agrees with
``grades.csv`` and the gradebook. Nothing in the notebook is run.

``submitted/<student>/<assignment>/`` also gets the file as submitted (with --pseudonymise,
the cleaned copy) and ``timestamp.txt``, because nbgrader's API counts a submission as
autograded only when the two folders agree on the time. A ``submitted`` folder the command did
not create is never touched; the ones it did are listed in ``MANIFEST`` in the course folder.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from grader.scoring import NotebookScore

from . import outputs

MANIFEST = ".posting-with-care-submitted"
REBUILT_NOTE = ("The notebook had lost some of nbgrader's cells or hidden markings, so its copy "
                "for formgrader was rebuilt from the released exercise, with the learner's "
                "answers in their places.")
EXCHANGE_SECRET = "submission_secret.txt"
_CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")


@dataclass(frozen=True)
class CopyTarget:
    """Where and how one learner's copies are written (made by the main process)."""

    course_dir: Path
    student_id: str
    timestamp: str | None
    show_answers: bool
    pseudonymised: bool = False
    mirror: bool = True

    def folder(self, kind: str, assignment_id: str) -> Path:
        return self.course_dir / kind / self.student_id / assignment_id


def timestamp_text(moment: datetime | None) -> str | None:
    """A submission time as nbgrader writes it in ``timestamp.txt``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def safe_student_id(student_id: str) -> bool:
    """Whether an id can be a folder name of its own."""
    return (student_id not in ("", ".", "..") and "/" not in student_id
            and "\0" not in student_id and len(student_id.encode("utf-8")) <= 255)


@dataclass
class _Release:
    notebook: dict
    cells: dict[str, dict]


_RELEASES: dict[str, _Release] = {}


def _release(exercise) -> _Release:
    found = _RELEASES.get(exercise.id)
    if found is None:
        notebook = json.loads(exercise.release_path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            cell["source"] = _text(cell.get("source", ""))
        cells = {cell["metadata"]["nbgrader"]["grade_id"]: cell for cell in notebook["cells"]
                 if "grade_id" in cell.get("metadata", {}).get("nbgrader", {})}
        found = _RELEASES[exercise.id] = _Release(notebook, cells)
    return found


def _text(source: object) -> str:
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    return source if isinstance(source, str) else ""


def build(submitted: dict, exercise, scored: NotebookScore, show_answers: bool,
          keep_metadata: bool = True):
    """The autograded notebook (a ``NotebookNode``) and whether it had to be rebuilt.

    ``submitted`` (plain notebook data, nbformat 4) may be changed. Without ``keep_metadata``
    the notebook's own metadata (where an LMS or an editor may have put a name) is replaced by
    the release's.
    """
    import nbformat

    from grader.plugins.literal_scoring import score_cells

    release = _release(exercise)
    notebook = _cleaned(submitted, release)
    rebuilt = notebook is None
    if notebook is None:
        notebook = _rebuilt(submitted, release, exercise, scored)
    elif not keep_metadata:
        notebook["metadata"] = copy.deepcopy(release.notebook["metadata"])
    node = nbformat.from_dict(notebook)
    score_cells(node, exercise, show_answers, result=scored)
    return node, rebuilt


def _cleaned(nb: dict, release: _Release) -> dict | None:
    """The notebook cleaned as autograde does; None when nbgrader cells are missing."""
    cells = nb.get("cells")
    if not isinstance(cells, list) or not _complete(cells, release):
        return None
    seen: set[str] = set()
    for cell in reversed(cells):  # as nbgrader's DeduplicateIds: the last cell keeps its id
        cell["source"] = _text(cell.get("source", ""))
        meta = cell.get("metadata")
        if not isinstance(meta, dict):
            meta = cell["metadata"] = {}
        if "nbgrader" not in meta:
            continue
        marks = meta["nbgrader"]
        grade_id = marks.get("grade_id") if isinstance(marks, dict) else None
        original = release.cells.get(grade_id) if isinstance(grade_id, str) else None
        if original is None or not isinstance(grade_id, str) or grade_id in seen:
            del meta["nbgrader"]
            continue
        seen.add(grade_id)
        meta["nbgrader"] = dict(original["metadata"]["nbgrader"])  # flat: scalars only
        cell["cell_type"] = original["cell_type"]
        if meta["nbgrader"].get("locked"):
            cell["source"] = original["source"]
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            for field in ("collapsed", "scrolled"):  # as nbconvert's ClearOutput
                cell["metadata"].pop(field, None)
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    metadata = nb.get("metadata")
    nb["metadata"] = metadata if isinstance(metadata, dict) else {}
    if "kernelspec" in release.notebook["metadata"]:
        nb["metadata"]["kernelspec"] = copy.deepcopy(release.notebook["metadata"]["kernelspec"])
    _repair_ids(nb)
    return nb


def _complete(cells: list, release: _Release) -> bool:
    """Whether every nbgrader cell of the release is there, with its grade id (nothing is
    changed, so that a notebook to rebuild is read as it was submitted)."""
    found = set()
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            return False
        meta = cell.get("metadata")
        marks = meta.get("nbgrader") if isinstance(meta, dict) else None
        grade_id = marks.get("grade_id") if isinstance(marks, dict) else None
        if isinstance(grade_id, str) and grade_id in release.cells:
            found.add(grade_id)
    return len(found) == len(release.cells)


def _repair_ids(nb: dict) -> None:
    """nbformat 4.5 wants a unique, well-formed id on every cell."""
    if (nb.get("nbformat", 4), nb.get("nbformat_minor", 0)) < (4, 5):
        for cell in nb["cells"]:
            cell.pop("id", None)
        return
    used: set[str] = set()
    for number, cell in enumerate(nb["cells"]):
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not _CELL_ID.match(cell_id) or cell_id in used:
            cell_id = f"cell-{number}"
            while cell_id in used:
                cell_id += "-"
            cell["id"] = cell_id
        used.add(cell_id)


def _rebuilt(submitted: dict, release: _Release, exercise, scored: NotebookScore) -> dict:
    """The released notebook with the learner's answers in their cells."""
    from course.answer_language import bindings

    notebook = copy.deepcopy(release.notebook)
    by_id = {cell["metadata"]["nbgrader"]["grade_id"]: cell for cell in notebook["cells"]
             if "grade_id" in cell.get("metadata", {}).get("nbgrader", {})}
    found_cells = submitted.get("cells")
    cells: list = found_cells if isinstance(found_cells, list) else []
    names = {item.variable for item in exercise.auto_items}
    for item in exercise.items:
        target = by_id.get(item.answer_cell)
        found = scored.item(item.id)
        if target is None:
            continue
        if item.manual:
            if found.status != "missing":
                target["source"] = found.raw or ""
            else:  # never show the template's text as if it were the learner's
                target["source"] = (
                    f"#### {item.label}\n\n**For the assessor: this part was not found in the "
                    "learner's notebook** (its heading and nbgrader's hidden markings were "
                    "removed). Read the notebook as submitted, in the `submitted` folder, and "
                    "mark this part from it.")
            continue
        if found.cell_index is None:
            target["source"] = ""
            continue
        source = _text(cells[found.cell_index].get("source", ""))
        if all(b.name == item.variable for b in bindings(source, names)):
            target["source"] = source  # the learner's own cell, as typed
        elif found.raw is not None:
            target["source"] = f"{item.variable} = {json.dumps(found.raw, ensure_ascii=False)}"
        else:
            line = re.compile(rf"^\s*{re.escape(item.variable)}\s*=(?!=)")
            lines = [text for text in source.splitlines() if line.match(text)]
            target["source"] = lines[-1] if lines else source
    return notebook


def write(target: CopyTarget, exercise, submitted: dict, scored: NotebookScore,
          original: Path) -> list[str]:
    """Write the learner's autograded copy (and submitted copy); return notes for the assessor."""
    node, rebuilt = build(submitted, exercise, scored, target.show_answers,
                          keep_metadata=not target.pseudonymised)
    text = json.dumps(node, ensure_ascii=False, sort_keys=True) + "\n"
    folder = target.folder("autograded", exercise.id)
    outputs.write_private(folder / exercise.notebook_name, text)
    _stamp(folder, target.timestamp)
    # nbgrader's exchange marks each submission with a secret that release_feedback needs;
    # nbgrader's own autograde carries it over, and so do we.
    secret = original.parent / EXCHANGE_SECRET
    if secret.is_file():
        outputs.write_private(folder / EXCHANGE_SECRET, secret.read_bytes())
    if target.mirror:  # the file as submitted; pseudonymised: the cleaned copy, no metadata
        mirror = target.folder("submitted", exercise.id)
        outputs.write_private(mirror / exercise.notebook_name,
                              text if target.pseudonymised else original.read_bytes())
        _stamp(mirror, target.timestamp)
    return [REBUILT_NOTE] if rebuilt else []


def _stamp(folder: Path, timestamp: str | None) -> None:
    for stale in folder.glob(".*.tmp-*"):  # left by a run stopped while writing
        stale.unlink(missing_ok=True)
    if timestamp:
        outputs.write_private(folder / "timestamp.txt", timestamp)
    else:
        (folder / "timestamp.txt").unlink(missing_ok=True)


def claim_mirrors(course_dir: Path, assignment_id: str, student_ids: list[str]) -> set[str]:
    """The learners whose ``submitted`` folder this command may write: absent ones, or ones it
    wrote before (listed in the manifest). The manifest is updated before anything is written,
    so a stopped run leaves no folder it would not recognise later."""
    manifest = course_dir / MANIFEST
    try:
        listed = set(manifest.read_text(encoding="utf-8").splitlines())
    except FileNotFoundError:
        listed = set()
    ours = {student for student in student_ids
            if f"{student}/{assignment_id}" in listed
            or not (course_dir / "submitted" / student / assignment_id).exists()}
    claimed = listed | {f"{student}/{assignment_id}" for student in ours}
    if claimed != listed:
        outputs.write_private(manifest, "".join(f"{key}\n" for key in sorted(claimed)))
    return ours
