"""Build the lesson notebooks and the facilitator's guide from the course's content files.

Sources (edit these, never the notebooks):
- ``content/lessons.yaml``: titles, CPD minutes, objectives, key points, reflection prompts,
  exercise pointers and the trainer's notes;
- ``content/lessons/NN-slug.md``: each lesson's teaching text, where a line
  ``<!-- cell: show.classify("p001") -->`` places a one-line, hidden code cell;
- ``content/facilitator.md``: the guide's opening and closing text; the per-lesson sections go
  where the line ``<!-- lessons -->`` stands.

``{{course_minutes}}``, ``{{course_outline}}``, ``{{rules}}`` and ``{{principles}}`` in any text
are filled in from the data, so the text never drifts from it.

    python -m course.authoring.build_lessons          # write course/lessons/, course/facilitator/
    python -m course.authoring.build_lessons --check  # exit 1 if a committed notebook differs
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from course.catalogue.lessons_meta import Lesson, load_lessons
from course.catalogue.responses import Response, load_responses
from course.catalogue.scenarios import (
    CONTENT_DIR,
    ContentError,
    Framework,
    Post,
    load_framework,
    load_posts,
)

COURSE_DIR = Path(__file__).resolve().parents[1]
LESSONS_DIR = COURSE_DIR / "lessons"
FACILITATOR_DIR = COURSE_DIR / "facilitator"
GUIDE_NAME = "facilitator-guide.ipynb"
BUILDER_NAME = "session-builder.ipynb"
BUILDER_TEXT = """# Build a session for the projector

Choose the practice posts and response situations you want, in the order you want, save the
choice under a name, and present it: one item per screen, readable from the back of the room,
with the answer revealed when you are ready. Filter by lesson, rule, principle, topic or
difficulty, pick items in the list (Ctrl or Shift picks several) and choose **Add to the
session**. Your sessions are saved on this computer, in the course's folder for you, not in the
course's files. The ready-made sessions for the guide's plans are under **Saved**.

In the presentation: **→**, **PageDown** or **Space** (or a presenter clicker) moves on,
**←** or **PageUp** goes back, **R** or **Enter** reveals the answer, **F** is full screen and
**B** blanks the screen."""
CELL_LINE = re.compile(r"^<!-- cell: (?P<call>.+?) -->[ \t]*$", re.MULTILINE)
LESSONS_MARK = "<!-- lessons -->"
IMPORT_LINE = "from course.runtime import show"
MAX_CALL_LENGTH = 60
ONE_ARGUMENT = {"classify", "response", "quiz", "reflection", "discussion"}
NO_ARGUMENT = {"cpd_record", "session_builder"}
HIDDEN_CODE = {
    "editable": False,
    "deletable": False,
    "jupyter": {"source_hidden": True},
    "tags": ["hide-input"],
}
FIXED_TEXT = {"editable": False, "deletable": False}
KERNEL = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


class Content:
    """Everything the builder reads, validated once."""

    def __init__(self, content_dir: Path = CONTENT_DIR) -> None:
        self.dir = Path(content_dir)
        self.lessons: list[Lesson] = load_lessons(self.dir)
        self.framework: Framework = load_framework(self.dir)
        self.posts: dict[str, Post] = {p.id: p for p in load_posts(self.dir)}
        self.responses: dict[str, Response] = {r.id: r for r in load_responses(self.dir)}

    def text(self, name: str) -> str:
        path = self.dir / name
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise ContentError(f"{name}: cannot be read ({error.strerror})") from error

    def lesson_posts(self, lesson_id: str) -> list[Post]:
        return [p for p in self.posts.values() if p.lesson == lesson_id]


# --- cells ----------------------------------------------------------------------------------
def make_cell(kind: str, source: str, cell_id: str) -> NotebookNode:
    """One notebook cell: markdown is locked against accidental edits, code is also hidden."""
    if kind == "code":
        cell = nbformat.v4.new_code_cell(source, metadata=dict(HIDDEN_CODE), id=cell_id)
    else:
        cell = nbformat.v4.new_markdown_cell(source.strip(), metadata=dict(FIXED_TEXT), id=cell_id)
    return cell


def parse_call(call: str) -> tuple[str, str]:
    """``show.NAME("ARG")`` -> (NAME, ARG) and ``show.NAME()`` -> (NAME, ""); anything else
    raises :class:`ContentError`."""
    try:
        node = ast.parse(call, mode="eval").body
    except SyntaxError as error:
        raise ContentError(f"cell line {call!r} is not a valid call") from error
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "show"
        and len(node.args) <= 1
        and not node.keywords
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
    ):
        raise ContentError(f'cell line {call!r} should look like show.name("argument")')
    argument = node.args[0] if node.args else None
    return node.func.attr, str(argument.value) if isinstance(argument, ast.Constant) else ""


def check_call(call: str, lesson_id: str, content: Content) -> None:
    """A cell line must be short, call a known function, and refer to this lesson's content."""
    if len(call) > MAX_CALL_LENGTH:
        raise ContentError(f"cell line {call!r} is longer than {MAX_CALL_LENGTH} characters")
    name, arg = parse_call(call)
    where = f"lesson {lesson_id}: cell {call}"
    if name not in NO_ARGUMENT | ONE_ARGUMENT:
        raise ContentError(f"{where}: show.{name} does not exist")
    if (name in NO_ARGUMENT) != bool(re.fullmatch(r"show\.\w+\(\s*\)", call)):
        takes = "no argument" if name in NO_ARGUMENT else "one argument"
        raise ContentError(f"{where}: show.{name} takes {takes}")
    if name in NO_ARGUMENT:
        return
    if name == "classify":
        post = content.posts.get(arg)
        if post is None:
            raise ContentError(f"{where}: there is no post {arg}")
        if lesson_id != "facilitator" and post.lesson != lesson_id:
            raise ContentError(f"{where}: post {arg} belongs to lesson {post.lesson}")
    elif name == "response":
        response = content.responses.get(arg)
        if response is None:
            raise ContentError(f"{where}: there is no response situation {arg}")
        if lesson_id != "facilitator" and response.lesson != lesson_id:
            raise ContentError(f"{where}: response {arg} belongs to lesson {response.lesson}")
    elif name in {"quiz", "reflection", "discussion"}:
        if lesson_id != "facilitator" and arg != lesson_id:
            raise ContentError(f"{where}: should name this lesson, {lesson_id}")
        if arg not in {lesson.id for lesson in content.lessons}:
            raise ContentError(f"{where}: there is no lesson {arg}")
    else:
        raise ContentError(f"{where}: show.{name} does not exist")


def fill(text: str, content: Content, links: str = "") -> str:
    """Replace the ``{{…}}`` placeholders with text made from the data; ``links`` is the path
    from the notebook to the lessons folder."""
    lessons = content.lessons
    values: dict[str, Callable[[], str]] = {
        "course_minutes": lambda: str(sum(lesson.minutes for lesson in lessons)),
        "course_outline": lambda: course_outline(lessons, links),
        "rules": lambda: "\n".join(
            f"{rule.number}. **{rule.title}.** {rule.plain}" for rule in content.framework.rules
        ),
        "principles": lambda: "\n".join(
            f"- **{p.name}:** {p.plain}" for p in content.framework.principles
        ),
    }

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise ContentError(f"unknown placeholder {{{{{key}}}}}")
        return values[key]()

    return re.sub(r"\{\{(\w+)\}\}", replace, text)


def course_outline(lessons: list[Lesson], links: str = "") -> str:
    rows = ["| Lesson | Minutes |", "|---|---|"]
    rows += [
        f"| {lesson.number}. [{lesson.title}]({links}{lesson.id}.ipynb) | {lesson.minutes} |"
        for lesson in lessons
    ]
    rows.append(f"| **Total** | **{sum(lesson.minutes for lesson in lessons)}** |")
    return "\n".join(rows)


def body_cells(text: str, owner: str, content: Content, links: str = "") -> list[tuple[str, str]]:
    """Split a text into (kind, source) pairs: markdown chunks and one-line code cells."""
    cells: list[tuple[str, str]] = []
    position = 0
    for match in CELL_LINE.finditer(text):
        chunk = text[position : match.start()].strip()
        if chunk:
            cells.append(("markdown", fill(chunk, content, links)))
        call = match.group("call").strip()
        check_call(call, owner, content)
        cells.append(("code", call))
        position = match.end()
    rest = text[position:].strip()
    if rest:
        cells.append(("markdown", fill(rest, content, links)))
    return cells


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


# --- lessons --------------------------------------------------------------------------------
def lesson_cells(lesson: Lesson, content: Content) -> list[tuple[str, str]]:
    total = len(content.lessons)
    header = (
        f"# {lesson.title}\n\n"
        f"*Lesson {lesson.number} of {total}* · **CPD time: about {lesson.minutes} minutes**\n\n"
        f"## In this lesson you will\n\n{bullets(lesson.objectives)}\n\n"
        "> The activities on this page are ready to use. Nothing here is marked, so try things "
        "freely: the course remembers your answers on this computer."
    )
    body = body_cells(content.text(f"lessons/{lesson.id}.md"), lesson.id, content)
    check_quiz(lesson, body, content)
    footer: list[tuple[str, str]] = [
        ("markdown", f"## Key points\n\n{bullets(lesson.key_points)}"),
        (
            "markdown",
            f"## Reflect\n\n{lesson.reflection.strip()}\n\n"
            "Write in the box below if you like, then choose **Save my reflection**. Your note "
            "is kept on this computer only, and is never marked or sent anywhere.",
        ),
        ("code", f'show.reflection("{lesson.id}")'),
        ("markdown", what_next(lesson, content.lessons)),
    ]
    return [("markdown", header), ("code", IMPORT_LINE), *body, *footer]


def check_quiz(lesson: Lesson, body: list[tuple[str, str]], content: Content) -> None:
    """A lesson's quiz lists its posts that the page does not show as practice: every one of
    them, and none that the learner has judged on the page already."""
    shown = {parse_call(source)[1] for kind, source in body
             if kind == "code" and parse_call(source)[0] == "classify"}
    where = f"lessons.yaml: lesson {lesson.id}'s quiz"
    again = [post_id for post_id in lesson.quiz if post_id in shown]
    if again:
        raise ContentError(f"{where} repeats {', '.join(again)}, already shown as practice "
                           "on its page")
    others = [post_id for post_id in lesson.quiz
              if post_id not in {p.id for p in content.lesson_posts(lesson.id)}]
    if others:
        raise ContentError(f"{where} lists {', '.join(others)}, not posts of this lesson")
    left_out = [p.id for p in content.lesson_posts(lesson.id)
                if p.id not in shown and p.id not in lesson.quiz]
    if left_out:
        raise ContentError(f"{where} leaves out {', '.join(left_out)}, which the page does "
                           "not show either")


def what_next(lesson: Lesson, lessons: list[Lesson]) -> str:
    parts = ["## What next"]
    if lesson.exercise is not None:
        title = lesson.exercise.title.strip()
        stop = "" if title.endswith((".", "?", "!")) else "."
        parts.append(
            f"**When you are ready, try** [{title}](../../{lesson.exercise.path}){stop} "
            f"{lesson.exercise.note.strip()}"
        )
    later = [other for other in lessons if other.number == lesson.number + 1]
    if later:
        parts.append(
            f"**Next lesson:** [{later[0].title}]({later[0].id}.ipynb), "
            f"about {later[0].minutes} minutes."
        )
    else:
        parts.append(
            "**You have reached the end of the lessons.** Well done. If you have not yet done "
            "the three exercises, now is a good time. Your CPD record, above, can be created "
            "again whenever you like."
        )
    return "\n\n".join(parts)


# --- facilitator's guide ----------------------------------------------------------------------
def facilitator_lesson(lesson: Lesson, content: Content) -> list[tuple[str, str]]:
    timings = "\n".join(f"| {t.activity} | {t.minutes} |" for t in lesson.instructor.timings)
    misconceptions = "\n".join(
        f"- *“{m.belief}”*  \n  {m.reality.strip()}" for m in lesson.instructor.misconceptions
    )
    cells: list[tuple[str, str]] = [
        (
            "markdown",
            f"## Lesson {lesson.number}: {lesson.title}\n\n"
            f"**{lesson.minutes} minutes.** Learner's notebook: "
            f"[{lesson.id}.ipynb](../lessons/{lesson.id}.ipynb)\n\n"
            f"**Objectives**\n\n{bullets(lesson.objectives)}\n\n"
            f"### Timings\n\n| Activity | Minutes |\n|---|---|\n{timings}\n"
            f"| **Total** | **{lesson.minutes}** |\n\n"
            f"### Discussion prompts\n\n{bullets(lesson.instructor.discussion)}\n\n"
            f"### Common misconceptions\n\n{misconceptions}",
        ),
        (
            "markdown",
            "### Scenarios for discussion\n\nFor your preparation: each post with its id and "
            "difficulty. On the projector, use the presentation view (see the top of this "
            "guide). Let the group decide and argue for a verdict before you reveal it.",
        ),
        ("code", f'show.discussion("{lesson.id}")'),
    ]
    situations = [r for r in content.responses.values() if r.lesson == lesson.id]
    if situations:
        cells.append(
            (
                "markdown",
                "### Response situations\n\nAsk the group to choose a response before anyone "
                "clicks, then try the options one by one.",
            )
        )
        cells += [("code", f'show.response("{r.id}")') for r in situations]
    cells.append(("markdown", f"### Debrief questions\n\n{bullets(lesson.instructor.debrief)}"))
    return cells


def facilitator_cells(content: Content) -> list[tuple[str, str]]:
    text = content.text("facilitator.md")
    if text.count(LESSONS_MARK) != 1:
        raise ContentError(f"facilitator.md: needs the line {LESSONS_MARK} exactly once")
    before, after = text.split(LESSONS_MARK)
    cells = body_cells(before, "facilitator", content, "../lessons/")
    cells.insert(1, ("code", IMPORT_LINE))
    for lesson in content.lessons:
        for kind, source in facilitator_lesson(lesson, content):
            if kind == "code":
                check_call(source, "facilitator", content)
            cells.append((kind, source))
    return cells + body_cells(after, "facilitator", content, "../lessons/")


# --- notebooks --------------------------------------------------------------------------------
def notebook(cells: list[tuple[str, str]], prefix: str, title: str) -> NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={**KERNEL, "title": title})
    nb.cells = [
        make_cell(kind, source, f"{prefix}-{index:03d}")
        for index, (kind, source) in enumerate(cells, start=1)
    ]
    nbformat.validate(nb)
    return nb


def build(content_dir: Path = CONTENT_DIR) -> dict[Path, str]:
    """Every generated notebook, as {path relative to ``course/``: file text}."""
    content = Content(content_dir)
    files: dict[Path, str] = {}
    for lesson in content.lessons:
        nb = notebook(lesson_cells(lesson, content), f"lesson{lesson.number:02d}", lesson.title)
        files[Path("lessons") / f"{lesson.id}.ipynb"] = nbformat.writes(nb) + "\n"
    guide = notebook(facilitator_cells(content), "guide", "Facilitator's guide")
    files[Path("facilitator") / GUIDE_NAME] = nbformat.writes(guide) + "\n"
    builder = notebook([("markdown", BUILDER_TEXT), ("code", IMPORT_LINE),
                        ("code", "show.session_builder()")], "builder", "Build a session")
    files[Path("facilitator") / BUILDER_NAME] = nbformat.writes(builder) + "\n"
    return files


def differences(root: Path = COURSE_DIR, content_dir: Path = CONTENT_DIR) -> list[str]:
    """Generated notebooks that are missing or differ under ``root``, and stray lesson files."""
    files = build(content_dir)
    problems = []
    for relative, text in files.items():
        path = root / relative
        if not path.exists():
            problems.append(f"{relative}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{relative}: differs from a fresh build")
    for folder in ("lessons", "facilitator"):
        for path in sorted((root / folder).glob("*.ipynb")):
            if path.relative_to(root) not in files:
                problems.append(f"{path.relative_to(root)}: not generated from the content")
    return problems


def write(root: Path = COURSE_DIR, content_dir: Path = CONTENT_DIR) -> list[Path]:
    written = []
    for relative, text in build(content_dir).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = differences()
            for problem in problems:
                print(problem)
            if problems:
                print("Run `python -m course.authoring.build_lessons` to rebuild the notebooks.")
            return 1 if problems else 0
        written = write()
    except ContentError as error:
        print(f"Content problem: {error}", file=sys.stderr)
        return 1
    print(f"{len(written)} notebook(s) rewritten." if written else "All notebooks up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
