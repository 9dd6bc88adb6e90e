"""Render each answer key (``grader/keys/*.yaml``) into its nbgrader source notebook.

``python -m grader.build_solutions`` writes ``solutions/exNN_slug/exNN_slug.ipynb``: the cards
(posts, situations, policy sections) as locked markdown, one answer cell per item holding the
correct answer, one locked grade cell per item, and a hidden first cell that starts the
learner's answer checker. The output is deterministic (stable cell ids), so a test can compare
it byte for byte with the committed notebooks. ``python -m grader.release`` runs this first.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course.answer_language import AnswerFormat, label
from course.catalogue.scenarios import PLATFORM_NAMES, load_framework
from grader.exercise import EXERCISE_IDS, Exercise, load_exercise
from grader.items import Entry, Item

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

RAISES_EXCEPTION = "raises-exception"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md(text: str) -> str:
    """Plain text made safe to show inside markdown (no accidental emphasis, links or HTML)."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return text.replace("&", "&amp;")


def make_cell(
    kind: str,
    cell_id: str,
    source: str,
    *,
    role: str = "locked",
    points: float | None = None,
    hidden: bool = False,
):
    """One notebook cell with its nbgrader metadata.

    ``role``: ``locked`` (read-only), ``answer`` (learner's answer), ``grade`` (scored cell) or
    ``written`` (a markdown answer marked by hand). A code answer cell is tagged
    ``raises-exception``, so that one slip in it never stops **Run All Cells** (JupyterLab and
    nbclient both honour the tag).
    """
    cell = new_code_cell(source) if kind == "code" else new_markdown_cell(source)
    cell["id"] = cell_id.replace("_", "-")
    flags = {
        "locked": dict(grade=False, locked=True, solution=False),
        "answer": dict(grade=False, locked=False, solution=True),
        "grade": dict(grade=True, locked=True, solution=False),
        "written": dict(grade=True, locked=False, solution=True),
    }[role]
    nbgrader = {**flags, "grade_id": cell_id, "schema_version": 3, "task": False}
    if flags["grade"]:
        nbgrader["points"] = float(points or 0)
    cell.metadata = {"nbgrader": dict(sorted(nbgrader.items()))}
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True}
    if role == "answer" and kind == "code":
        cell.metadata["tags"] = [RAISES_EXCEPTION]
    return cell


# --------------------------------------------------------------------------------------------
# Markdown for the cards and reference tables
# --------------------------------------------------------------------------------------------
def post_card(entry: Entry, heading: str) -> str:
    post = entry.post
    assert post is not None
    who = f"**{md(post.display_name)}**" + (f" \u00b7 {md(post.handle)}" if post.handle else "")
    lines = [
        f"### {heading}",
        f"*{PLATFORM_NAMES[post.platform]} \u00b7 {post.account} account*",
        "",
        f"> {who}",
        ">",
        f"> {md(post.text)}",
    ]
    if post.context:
        lines += ["", f"**What you know:** {md(post.context)}"]
    return "\n".join(lines)


def situation_card(entry: Entry, heading: str) -> str:
    situation = entry.situation
    assert situation is not None
    lines = [f"### {heading}: {md(situation.title)}", "", md(situation.text), ""]
    lines += [f"**{letter})** {md(text)}  " for letter, text in situation.options.items()]
    return "\n".join(lines).rstrip()


def section_card(entry: Entry, number: int, total: int) -> str:
    section = entry.section
    assert section is not None
    levels = "\n".join(f"| {mark} | {md(text)} |" for mark, text in sorted(section.levels.items()))
    return "\n".join([
        f"### Part {number} of {total}: {md(section.heading)}",
        "",
        md(section.prompt),
        "",
        f"**How it is marked ({entry.points:g} marks):** {md(section.criterion)}",
        "",
        "| marks | what earns them |",
        "|---|---|",
        levels,
    ])


def answer_help(assignment: Exercise) -> str:
    """How to type each kind of answer, with the rule and principle tables when needed."""
    kinds = {item.kind for item in assignment.auto_items}
    framework = load_framework()
    parts = []
    if "rule" in kinds:
        rows = "\n".join(
            f"| `{rule.id}` | {md(rule.numbered)} |" for rule in framework.rules
        )
        parts.append(f"**The rules** (type the word on the left, or the rule's number):\n\n"
                     f"| type | rule |\n|---|---|\n{rows}")
    if "principle" in kinds:
        rows = "\n".join(
            f"| `{p.id}` | **{md(p.name)}**: {md(p.plain)} |" for p in framework.principles
        )
        parts.append(f"**The principles** (type the word on the left):\n\n"
                     f"| type | principle |\n|---|---|\n{rows}")
    return "\n\n".join(parts)


# --------------------------------------------------------------------------------------------
# The notebook
# --------------------------------------------------------------------------------------------
def setup_source(assignment: Exercise) -> str:
    formats = json.dumps(assignment.answer_formats(), indent=4)
    lines = [
        "# Starts the answer checker: it tells you if an answer can't be read, never whether",
        "# it is right. (Each check below also starts it when this cell hasn't run yet.)",
        "from course.answers import check, check_all, check_policy, start",
        "",
    ]
    if assignment.check_cell:
        policy = json.dumps(assignment.policy_spec(), indent=4, ensure_ascii=False)
        lines.append(f'start("{assignment.id}", {formats}, policy={policy})')
    else:
        lines.append(f'start("{assignment.id}", {formats})')
    return "\n".join(lines)


def check_source(function: str, argument: str = "") -> str:
    """A check cell: two short lines, since nbgrader's Validate shows the source of a failed
    check. It imports what it needs, so it works even when the set-up cell hasn't run."""
    return f"from course.answers import {function}\n{function}({argument})"


def _answer_cells(item: Item) -> list:
    assert item.format is not None and item.answer is not None
    shown = item.answer
    return [
        make_cell("code", item.answer_cell, f'{item.variable} = "{shown}"', role="answer"),
        make_cell(
            "code", item.grade_cell, check_source("check", f'"{item.variable}"'),
            role="grade", points=item.points, hidden=True,
        ),
    ]


def _written_cells(entry: Entry, item: Item, number: int, total: int) -> list:
    section = entry.section
    assert section is not None
    answer = "\n".join([
        f"#### {section.heading}",
        "### BEGIN SOLUTION",
        section.example.strip(),
        "### END SOLUTION",
    ])
    return [
        make_cell("markdown", f"{entry.id}_card", section_card(entry, number, total)),
        make_cell("markdown", item.answer_cell, answer, role="written", points=item.points),
    ]


def _entry_cells(entry: Entry, items: list[Item], position: dict[str, int]) -> list:
    if entry.section is not None:
        position["section"] += 1
        return _written_cells(entry, items[0], position["section"], position["sections"])
    if entry.post is not None:
        position["post"] += 1
        card = post_card(entry, label(entry.id))
    else:
        position["situation"] += 1
        card = situation_card(entry, label(entry.id))
    cells = [make_cell("markdown", f"{entry.id}_card", card)]
    for item in items:
        if len(items) > 1:
            assert item.format is not None
            question = {
                "rule": "Which rule does this post break?",
                "principle": "Which principle is most at stake?",
            }[item.kind]
            cells.append(make_cell(
                "markdown", f"{item.id}_question",
                f"**{question}** Type {AnswerFormat(item.kind).describe()}.",
            ))
        cells += _answer_cells(item)
    return cells


def build(assignment_id: str) -> nbformat.NotebookNode:
    """The source notebook of one assignment, from its key."""
    assignment = load_exercise(assignment_id)
    key = assignment.key
    by_entry: dict[str, list[Item]] = {}
    for item in assignment.items:
        by_entry.setdefault(item.entry, []).append(item)

    max_auto = assignment.max_score
    marks = f"{max_auto:g} marks" if max_auto else f"{assignment.manual_max_score:g} marks"
    intro = "\n".join([
        f"# Exercise {key.number}: {md(key.title)}",
        f"*About {key.minutes} minutes \u00b7 {marks}*",
        "",
        key.intro.strip(),
    ])
    cells = [
        make_cell("code", "setup", setup_source(assignment), hidden=True),
        make_cell("markdown", "intro", intro),
    ]
    reference = answer_help(assignment)
    if reference:
        cells.append(make_cell("markdown", "reference", reference))
    sections = sum(1 for item in assignment.items if item.manual)
    position = {"post": 0, "situation": 0, "section": 0, "sections": sections}
    for number, part in enumerate(key.parts, start=1):
        heading = f"## {md(part.heading)}" + (f"\n\n{part.intro.strip()}" if part.intro else "")
        cells.append(make_cell("markdown", f"part_{number}", heading))
        for entry in part.entries:
            cells += _entry_cells(entry, by_entry[entry.id], position)

    if assignment.check_cell:
        cells.append(make_cell("markdown", "check_heading", key.check_intro.strip()))
        cells.append(make_cell(
            "code", assignment.check_cell, check_source("check_policy"), role="grade", points=0,
            hidden=True,
        ))
    else:
        cells.append(make_cell("markdown", "check_heading", CHECK_ANSWERS))
        cells.append(make_cell("code", "check_all", check_source("check_all"), hidden=True))
    cells.append(make_cell("markdown", "submit", submit_text(assignment)))

    nb = new_notebook(cells=cells)
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


CHECK_ANSWERS = """## Check my answers

Choose **Run \u25b8 Run All Cells** from the menu at the top. A list then appears just below
this heading: how many answers the marker can read, and any still to give or to retype. It never
says whether an answer is right: your feedback will, after marking."""

_CHECK_STEP = {
    False: "**Check my answers** (just above): choose **Run \u25b8 Run All Cells** and read the "
           "note under that heading.",
    True: "**Check my policy** (just above): after saving, choose **Run \u25b8 Run All Cells** "
          "and read the note under that heading.",
}
_SAVE_STEP = (
    "**Save** the notebook: **File \u25b8 Save Notebook** (Ctrl + S, or \u2318 + S on a Mac)."
)
_HAND_IN_STEP = (
    "**Hand it in** the way you were asked: **Submit** in the **Assignments** tab (*Nbgrader "
    "\u25b8 Assignment List*), or upload this `.ipynb` file to your course page, or send it by "
    "email. Keep the file name as it is."
)
_ON_YOUR_OWN = """**Learning on your own, without a trainer?** The exercises are marked by whoever
provides your CPD: your course provider, trainer or supervisor. Send them the saved file; they
mark it and send back a feedback page that explains every answer. Meanwhile, the practice posts
in the lessons give you instant feedback on the same rules."""
_VALIDATE = """*Optional:* the **Validate** button in the toolbar runs the same check from a fresh
start and lists anything unanswered or unreadable. "Success!" there means every answer can be
read, not that every answer is right."""


def submit_text(assignment: Exercise) -> str:
    """The "Submitting" cell: check, save, hand in; how self-paced learners get feedback."""
    written = bool(assignment.check_cell)
    steps = [_SAVE_STEP, _CHECK_STEP[True]] if written else [_CHECK_STEP[False], _SAVE_STEP]
    steps.append(_HAND_IN_STEP)
    numbered = "\n".join(f"{number}. {step}" for number, step in enumerate(steps, start=1))
    return f"## Submitting\n\n{numbered}\n\n{_ON_YOUR_OWN}\n\n{_VALIDATE}"


def render(assignment_id: str) -> str:
    """The notebook as the exact text that is written to disk."""
    return nbformat.writes(build(assignment_id)) + "\n"


def write_all(dest: Path = SOLUTIONS, assignment_ids=EXERCISE_IDS) -> list[Path]:
    written = []
    for assignment_id in assignment_ids:
        path = Path(dest) / assignment_id / f"{assignment_id}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = render(assignment_id)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


NOT_A_CHECKOUT = ("This works in a checkout of the course (a folder with pyproject.toml, "
                  "solutions/ and exercises/), not in an installed package: {root} is not one.")


def in_checkout() -> bool:
    """Whether this code runs from a checkout of the course (not an installed package)."""
    return (ROOT / "pyproject.toml").is_file() and (ROOT / "grader" / "keys").is_dir()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=None, help="folder to write into")
    args = parser.parse_args(argv)
    if args.dest is None and not in_checkout():
        print(NOT_A_CHECKOUT.format(root=ROOT), file=sys.stderr)
        return 1
    for path in write_all(args.dest or SOLUTIONS):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
