"""The learner app's pages: which pages there are, in which order, and the folder Voilà serves.

Every page is a small notebook whose first code cell calls one function of
:mod:`course.app.page` (which draws the page's header and navigation and records the visit),
and the app serves a folder holding **these pages and nothing else**, so no address on its
server can reach the answer keys, ``solutions/`` or a learner's records.

Adding a page (for example the trainer's presentation page) is one entry in :data:`PAGES`:
a function returning a :class:`Page`. The order of :data:`PAGES` is the order of the
*Previous* / *Next* links; pages with ``in_sequence=False`` are reached by links only.

    python -m course.app.site FOLDER     # write the pages into FOLDER (the launcher does this)
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.catalogue import bank

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LESSONS_DIR = PROJECT_ROOT / "course" / "lessons"
EXERCISES_DIR = PROJECT_ROOT / "exercises"
HOME = "home"
LESSON_IMPORT = "from course.runtime import show"
EXERCISE_LINK = re.compile(r"\]\((?:\.\./)*exercises/(ex\d{2}_[a-z0-9_]+)/\1\.ipynb\)")
KERNEL = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


@dataclass(frozen=True)
class Page:
    """One page of the app: its file name (without ``.ipynb``), title and cells."""

    name: str
    title: str
    cells: list[tuple[str, str]] = field(default_factory=list)  # (markdown|code, source)
    in_sequence: bool = True

    @property
    def file_name(self) -> str:
        return f"{self.name}.ipynb"


def call_cell(function: str, *args: str) -> tuple[str, str]:
    """The page's one-line code cell, e.g. ``page.lesson("03-never-disclose")``."""
    arguments = ", ".join(json.dumps(a) for a in args)
    return ("code", f"from course.app import page\npage.{function}({arguments})")


def home_page() -> list[Page]:
    return [Page(HOME, "Home", [call_cell("home")])]


def lesson_pages() -> list[Page]:
    """Each generated lesson, with the app's header first; links to exercises point to the
    app's exercise pages."""
    pages = []
    for lesson in bank.lessons().values():
        notebook = nbformat.read(LESSONS_DIR / f"{lesson.id}.ipynb", as_version=4)
        cells: list[tuple[str, str]] = [
            ("code", f'from course.app import page\nshow = page.lesson("{lesson.id}")')
        ]
        for cell in notebook.cells:
            if cell.cell_type == "code" and cell.source.strip() == LESSON_IMPORT:
                continue
            source = cell.source
            if cell.cell_type == "markdown":
                source = EXERCISE_LINK.sub(r"](\1.ipynb)", source)
            cells.append((cell.cell_type, source))
        cells.append(call_cell("footer", lesson.id))
        pages.append(Page(lesson.id, lesson.title, cells))
    return pages


def exercise_ids() -> list[str]:
    """The released exercises (``exercises/exNN_slug/exNN_slug.ipynb``), in order."""
    return sorted(
        path.parent.name
        for path in EXERCISES_DIR.glob("ex*/*.ipynb")
        if path.stem == path.parent.name
    )


def exercise_pages() -> list[Page]:
    from course.app import exercise_copy

    return [
        Page(ex_id, exercise_copy.released_title(ex_id), [call_cell("exercise", ex_id)])
        for ex_id in exercise_ids()
    ]


def cpd_page() -> list[Page]:
    return [Page("cpd-record", "Your CPD record", [call_cell("cpd_record")])]


def trainer_pages() -> list[Page]:
    """For trainers, reached by its address only (not in the learner's Previous / Next): the
    session builder, which also presents a session (see docs/workshop.md)."""
    return [Page("session-builder", "Build a session", [call_cell("session_builder")],
                 in_sequence=False)]


#: Every page, in the order of the Previous / Next links. Add a page here.
PAGES: list[Callable[[], Iterable[Page]]] = [home_page, lesson_pages, exercise_pages, cpd_page,
                                             trainer_pages]


def all_pages() -> list[Page]:
    return [page for make in PAGES for page in make()]


def sequence() -> list[tuple[str, str]]:
    """(name, title) of the pages with Previous / Next links, in order."""
    return [(page.name, page.title) for page in all_pages() if page.in_sequence]


def notebook(page: Page) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={**KERNEL, "title": f"{page.title} · Posting with Care"})
    for index, (kind, source) in enumerate(page.cells, start=1):
        cell_id = f"{page.name[:40]}-{index:03d}"
        if kind == "code":
            nb.cells.append(nbformat.v4.new_code_cell(source, id=cell_id))
        else:
            nb.cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
    nbformat.validate(nb)
    return nb


def build(folder: Path) -> list[Path]:
    """Write every page into ``folder`` (created), removing any other notebook there."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    names = set()
    for page in all_pages():
        path = folder / page.file_name
        nbformat.write(notebook(page), path)
        names.add(page.file_name)
        written.append(path)
    for stale in folder.iterdir():
        if stale.name not in names and stale.is_file():
            stale.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m course.app.site FOLDER", file=sys.stderr)
        return 2
    for path in build(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
