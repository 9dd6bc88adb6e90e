"""The learner's CPD record: progress kept when a lesson quiz is finished, the record widget, the
printable record (escaping, opt-in reflections) and its verification code.

Everything runs against the real course content, with the learner's private folder in a
temporary directory; a test checks that nothing is written anywhere else.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import stat
import subprocess
import sys
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from course.authoring import build_lessons, originality
from course.authoring.build_lessons import LESSONS_DIR
from course.catalogue import bank
from course.catalogue.scenarios import CONTENT_DIR, VERDICTS, ContentError
from course.runtime import progress, show
from course.runtime.cpd import create, render, verify
from course.runtime.cpd.record import lesson_principles
from course.runtime.private import HOME_ENV
from course.runtime.reflections import save_reflection
from course.runtime.widgets import CpdRecord, Quiz

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINT = ROOT / "tests" / "fixtures" / "content" / "source-article.fingerprint"
SOURCE_RUNS = originality.read_fingerprint(FINGERPRINT)
WELCOME = "01-welcome"
NEVER = "03-never-disclose"
EVIL = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
MARCH_3 = datetime(2025, 3, 3, 10, 15)
MARCH_9 = datetime(2025, 3, 9, 16, 40)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The learner's private folder (not created yet), the real content, a clean cache."""
    folder = tmp_path / "private"
    monkeypatch.setenv(HOME_ENV, str(folder))
    monkeypatch.delenv(bank.CONTENT_ENV, raising=False)
    bank.clear()
    return folder


def shown_quiz(lesson_id: str, monkeypatch: pytest.MonkeyPatch) -> Quiz:
    """The quiz exactly as a lesson's ``show.quiz(...)`` cell makes it."""
    shown: list[object] = []
    monkeypatch.setattr(show, "display", shown.append)
    show.quiz(lesson_id, seed=3)
    (quiz,) = shown
    assert isinstance(quiz, Quiz)
    return quiz


def answer_all(quiz: Quiz, wrong: int = 0) -> None:
    """Answer every post of the round, the first ``wrong`` of them wrongly, pressing Next."""
    for index in range(len(quiz.round)):
        item = quiz.item
        assert item is not None
        verdict = item.post.verdict
        if index < wrong:
            verdict = next(v for v in VERDICTS if v != verdict)
        item.verdict.value = verdict
        item.check.click()
        quiz.next.click()


def saved_progress(home: Path) -> dict:
    return json.loads((home / "progress.json").read_text(encoding="utf-8"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class _Page(HTMLParser):
    """Elements, text and the table rows of a record page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        lesson = dict(attrs).get("data-lesson")
        if tag == "tr" and lesson:
            self._row = lesson
            self.rows[lesson] = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._row and data.strip():
            self.rows[self._row].append(data.strip())

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


# --- progress -------------------------------------------------------------------------------
def test_finishing_a_lesson_quiz_records_the_lesson(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiz = shown_quiz(WELCOME, monkeypatch)
    posts = len(quiz.round)
    for index in range(posts - 1):
        item = quiz.item
        assert item is not None
        right = item.post.verdict
        item.verdict.value = right if index else next(v for v in VERDICTS if v != right)
        item.check.click()
        quiz.next.click()
    assert not (home / "progress.json").exists()  # not finished yet
    assert quiz.item is not None
    quiz.item.verdict.value = quiz.item.post.verdict
    quiz.item.check.click()
    assert not (home / "progress.json").exists()  # the score is not shown yet
    before = datetime.now().replace(microsecond=0)
    quiz.next.click()

    entry = saved_progress(home)[WELCOME]
    assert entry["first_score"] == entry["latest_score"] == posts - 1
    assert entry["posts"] == posts
    assert entry["minutes"] == bank.lesson(WELCOME).minutes == 15
    first = datetime.fromisoformat(entry["first_completed"])
    assert before <= first <= datetime.now() and entry["last_completed"] == entry["first_completed"]
    assert progress.FINISHED_NOTE in quiz.summary.value
    assert "pwc-progress-note" in quiz.summary.value
    assert mode(home / "progress.json") == 0o600 and mode(home) == 0o700


def test_finishing_again_keeps_the_first_date_and_score(home: Path) -> None:
    lesson = bank.lesson(NEVER)
    progress.record_completion(lesson, score=6, posts=13, when=MARCH_3)
    progress.record_completion(lesson, score=12, posts=13, when=MARCH_9)
    entry = progress.load_progress()[NEVER]
    assert (entry.first_completed, entry.last_completed) == (MARCH_3, MARCH_9)
    assert (entry.first_score, entry.latest_score, entry.minutes) == (6, 12, 25)


def test_a_restarted_quiz_updates_the_latest_score_but_a_retry_round_does_not(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiz = shown_quiz(WELCOME, monkeypatch)
    answer_all(quiz, wrong=2)
    first = saved_progress(home)[WELCOME]
    assert first["first_score"] == len(quiz.posts) - 2
    quiz.retry.click()  # just the two missed posts
    answer_all(quiz)
    assert saved_progress(home)[WELCOME] == first
    assert "pwc-progress-note" not in quiz.summary.value
    quiz.restart.click()
    answer_all(quiz)
    again = saved_progress(home)[WELCOME]
    assert again["first_score"] == first["first_score"]
    assert again["first_completed"] == first["first_completed"]
    assert again["latest_score"] == len(quiz.posts)


def test_a_quiz_outside_a_lesson_records_nothing(home: Path) -> None:
    quiz = Quiz(bank.lesson_posts(WELCOME), seed=1)
    answer_all(quiz)
    assert quiz.finished and not home.exists()


def test_progress_that_cannot_be_saved_is_explained_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(HOME_ENV, str(blocker / "private"))
    bank.clear()
    quiz = shown_quiz(WELCOME, monkeypatch)
    answer_all(quiz)
    assert "could not be saved on this computer" in quiz.summary.value
    assert "You judged all" in quiz.summary.value


def test_an_unreadable_progress_file_counts_as_no_progress(home: Path) -> None:
    home.mkdir()
    (home / "progress.json").write_text("{not json", encoding="utf-8")
    assert progress.load_progress() == {}
    (home / "progress.json").write_text(
        json.dumps({WELCOME: {"first_score": "lots"}, NEVER: []}), encoding="utf-8"
    )
    assert progress.load_progress() == {}
    assert "0 minutes, from 0 of 8 lessons" in CpdRecord().table.value


# --- the widget -----------------------------------------------------------------------------
def test_the_widget_shows_every_lesson_and_the_minutes_completed(home: Path) -> None:
    widget = CpdRecord()
    assert {"pwc-widget", "pwc-cpd-record"} <= set(widget._dom_classes)
    assert "pwc-cpd-table" in widget.table._dom_classes
    assert widget.include.description == "Include my reflections" and widget.include.value is False
    assert widget.name.description == "Your name (optional)" and widget.name.value == ""
    assert widget.create.description == "Create my CPD record"
    assert "pwc-create-record" in widget.create._dom_classes
    page = _Page(widget.table.value)
    assert list(page.rows) == list(bank.lessons())
    assert all(cells[2:] == ["Not yet", "–"] for cells in page.rows.values())
    assert "Your CPD so far: 0 minutes, from 0 of 8 lessons" in page.words

    progress.record_completion(bank.lesson(NEVER), score=9, posts=13, when=MARCH_3)
    progress.record_completion(bank.lesson(WELCOME), score=5, posts=5, when=MARCH_9)
    page = _Page(widget.table.value)  # refreshed without being asked
    assert page.rows[NEVER] == ["3. Rule 1: never disclose", "25", "3 March 2025", "9 of 13"]
    assert page.rows[WELCOME][1:] == ["15", "9 March 2025", "5 of 5"]
    assert "Your CPD so far: 40 minutes, from 2 of 8 lessons" in page.words
    assert "Total completed 40 of 205 minutes" in page.words


def test_creating_the_record_says_where_it_is_and_shows_it(home: Path) -> None:
    progress.record_completion(bank.lesson(NEVER), score=9, posts=13, when=MARCH_3)
    widget = CpdRecord()
    widget.name.value = "Robin Ashdown"
    widget.create.click()
    path = widget.path
    assert path is not None and path.parent == home
    assert re.fullmatch(r"cpd-record-\d{4}-\d{2}-\d{2}\.html", path.name)
    assert path.name == f"cpd-record-{datetime.now():%Y-%m-%d}.html"
    assert mode(path) == 0o600
    status = widget.status.value
    assert "Your CPD record is ready." in status
    assert f"<code class='pwc-cpd-path'>{path}</code>" in status
    assert path.resolve().as_uri() in status
    link = re.search(r"download='([^']+)' href='data:text/html;base64,([^']+)'", status)
    assert link and link.group(1) == path.name
    assert base64.b64decode(link.group(2)).decode("utf-8") == path.read_text(encoding="utf-8")
    assert "iframe" in widget.preview.value and "sandbox" in widget.preview.value
    assert "Robin Ashdown" in widget.preview.value
    assert verify(path)


def test_a_record_that_cannot_be_saved_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(HOME_ENV, str(blocker / "private"))
    widget = CpdRecord()
    widget.create.click()
    assert "could not be saved" in widget.status.value and widget.preview.value == ""


# --- the record -----------------------------------------------------------------------------
def test_the_record_lists_completed_lessons_minutes_dates_and_outcomes(home: Path) -> None:
    progress.record_completion(bank.lesson(NEVER), score=9, posts=13, when=MARCH_3)
    progress.record_completion(bank.lesson(NEVER), score=13, posts=13, when=MARCH_9)
    progress.record_completion(bank.lesson("08-grey-areas"), score=11, posts=15, when=MARCH_9)
    path = create(now=datetime(2025, 3, 10, 9, 5))
    assert path == home / "cpd-record-2025-03-10.html"
    page = _Page(path.read_text(encoding="utf-8"))
    words = page.words
    assert page.rows[NEVER] == [
        "3. Rule 1: never disclose",
        "25",
        "3 March 2025 (most recently 9 March 2025)",
        "9 of 13",
    ]
    assert page.rows["08-grey-areas"][1:] == ["35", "9 March 2025", "11 of 15"]
    assert page.rows[WELCOME][2:] == ["Not completed", "–"]
    assert "60 minutes (1 hour), from 2 of 8 lessons" in words
    assert "Total completed 60 of the course's 205 minutes" in words
    assert "Record created 10 March 2025 at 09:05" in words
    assert "Name Not given" in words
    assert "Posting with Care" in words and "BACP Ethical Framework" in words
    for lesson_id in (NEVER, "08-grey-areas"):
        for objective in bank.lesson(lesson_id).objectives:
            assert " ".join(objective.split()) in words
        names = ", ".join(p.name for p in lesson_principles(lesson_id))
        assert f"Principles: {names}." in words
    assert bank.lesson("02-confidentiality-and-trust").objectives[0] not in words
    assert "script" not in page.tags and "a" not in page.tags and "link" not in page.tags


def test_the_record_and_the_widget_are_in_our_own_words(home: Path) -> None:
    for lesson in bank.lessons().values():
        progress.record_completion(lesson, score=1, posts=2, when=MARCH_3)
    save_reflection(NEVER, "A note.")
    widget = CpdRecord()
    widget.include.value = True
    widget.create.click()
    texts = [_Page(render(include_reflections=True)).words, widget.status.value]
    texts += [w.value for w in widget.children if hasattr(w, "value") and isinstance(w.value, str)]
    copied = [run for text in texts for run in originality.copied_runs(text, SOURCE_RUNS)]
    assert copied == []


def test_each_lesson_maps_to_the_principles_most_at_stake_in_its_posts(home: Path) -> None:
    for lesson_id in bank.lessons():
        found = [p.id for p in lesson_principles(lesson_id)]
        posts = bank.lesson_posts(lesson_id)
        counts = {p: sum(p in post.principles for post in posts) for p in bank.principles()}
        assert 1 <= len(found) <= 4
        assert counts[found[0]] == max(counts.values())
        assert [counts[p] for p in found] == sorted((counts[p] for p in found), reverse=True)
        assert all(counts[p] * 4 >= len(posts) for p in found)
        assert all(counts[p] * 4 < len(posts) for p in counts if p not in found)


def test_reflections_are_left_out_unless_the_learner_opts_in(home: Path) -> None:
    save_reflection(NEVER, "I will stop posting about my Tuesday sessions.")
    progress.record_completion(bank.lesson(NEVER), score=9, posts=13, when=MARCH_3)
    without = render()
    assert "Tuesday sessions" not in without and "Reflections" not in without
    widget = CpdRecord()
    widget.create.click()
    assert widget.path is not None
    assert "Tuesday sessions" not in widget.path.read_text(encoding="utf-8")
    widget.include.value = True
    widget.create.click()
    text = widget.path.read_text(encoding="utf-8")
    assert "Tuesday sessions" in text and "<h2>Reflections</h2>" in text


def test_learner_text_is_escaped_everywhere(home: Path) -> None:
    save_reflection(NEVER, EVIL)
    widget = CpdRecord()
    widget.name.value = EVIL
    widget.include.value = True
    widget.create.click()
    assert widget.path is not None
    html = widget.path.read_text(encoding="utf-8")
    page = _Page(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert page.words.count(" ".join(EVIL.split())) == 2  # the name and the reflection, as text
    assert "&lt;script&gt;" in html
    # In the notebook the record sits in a frame's srcdoc attribute, escaped once more.
    frame = _Page(widget.preview.value)
    assert frame.tags == ["iframe"]
    assert "<script" not in widget.status.value and "<img" not in widget.status.value


# --- verification ---------------------------------------------------------------------------
@pytest.fixture
def record(home: Path) -> Path:
    save_reflection(NEVER, "Check the privacy settings every month.")
    progress.record_completion(bank.lesson(NEVER), score=9, posts=13, when=MARCH_3)
    return create(name="Robin Ashdown", include_reflections=True, now=MARCH_9)


def code_in(path: Path) -> str:
    found = re.search(r'<code id="pwc-cpd-code">([0-9a-f]{12})</code>', path.read_text())
    assert found
    return found.group(1)


def test_an_untouched_record_verifies(record: Path) -> None:
    result = verify(record)
    assert result and result.stated == result.computed == code_in(record)
    assert "has not been edited since the course created it" in result.message
    words = _Page(record.read_text()).words
    assert "a supervisor can check that the record has not been edited" in words


def test_the_same_content_always_gets_the_same_code(record: Path, home: Path) -> None:
    again = create(name="Robin Ashdown", include_reflections=True, now=MARCH_9)
    assert again == record and code_in(again) == code_in(record)
    other = render(name="Robin Ashdow", include_reflections=True, now=MARCH_9)
    assert re.search(r'pwc-cpd-code">([0-9a-f]{12})<', other).group(1) != code_in(record)


EDITS = {
    "a minute count": ('<td class="number">25</td>', '<td class="number">35</td>'),
    "the name": ("Robin Ashdown", "Robin Ashdowne"),
    "a date": ("3 March 2025", "2 March 2025"),
    "the score": ("9 of 13", "13 of 13"),
    "the reflection": ("every month", "every week"),
    "a hidden row": ("</tbody>", '<tr style="display:none"><td>extra</td></tr></tbody>'),
    "the styles": ("tr.not-done td {", "tr.not-done td { display: none;"),
    "the code itself": ('id="pwc-cpd-code">', 'id="pwc-cpd-code">0'),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edited_record_fails_verification(record: Path, tmp_path: Path, edit: str) -> None:
    old, new = EDITS[edit]
    text = record.read_text(encoding="utf-8")
    assert old in text
    edited = tmp_path / "edited.html"
    edited.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = verify(edited)
    assert not result and "has been edited since the course created it" in result.message


def test_layout_only_changes_do_not_matter(record: Path, tmp_path: Path) -> None:
    copy = tmp_path / "windows.html"
    copy.write_bytes(record.read_bytes().replace(b"\n", b"\r\n").replace(b"<tr", b"\n  <tr"))
    assert verify(copy)


def test_a_file_without_a_code_is_not_a_record(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>I did 200 hours of CPD.</p></body></html>", encoding="utf-8")
    result = verify(page)
    assert not result and result.stated is None and "not a CPD record" in result.message


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "course.runtime.cpd", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_the_verify_command(record: Path, tmp_path: Path) -> None:
    done = run_cli("verify", str(record))
    assert done.returncode == 0, done.stderr
    code = code_in(record)
    assert done.stdout.startswith(f"Unchanged: the record matches its verification code ({code})")
    edited = tmp_path / "edited.html"
    edited.write_text(record.read_text().replace("9 of 13", "13 of 13"), encoding="utf-8")
    done = run_cli("verify", str(edited))
    assert done.returncode == 1 and done.stdout.startswith("Changed:")
    done = run_cli("verify", str(tmp_path / "missing.html"))
    assert done.returncode == 2 and "Cannot read" in done.stderr and "Traceback" not in done.stderr


# --- privacy --------------------------------------------------------------------------------
def test_nothing_is_written_outside_the_private_folder(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_home, workdir = tmp_path / "user-home", tmp_path / "workdir"
    fake_home.mkdir()
    workdir.mkdir()
    monkeypatch.setenv("HOME", str(fake_home))
    monkeypatch.chdir(workdir)
    quiz = shown_quiz(WELCOME, monkeypatch)
    answer_all(quiz, wrong=1)
    save_reflection(WELCOME, "A note.")
    widget = CpdRecord()
    widget.include.value = True
    widget.name.value = "Robin Ashdown"
    widget.create.click()

    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert written == [
        "private",
        f"private/cpd-record-{datetime.now():%Y-%m-%d}.html",
        "private/progress.json",
        "private/reflections.json",
        "user-home",
        "workdir",
    ]
    assert all(mode(tmp_path / p) == 0o600 for p in written if p.startswith("private/"))
    assert mode(home) == 0o700
    for pattern in ("progress.json", "reflections.json", "cpd-record-*.html"):
        found = [p for p in ROOT.rglob(pattern) if ".venv" not in p.parts]
        assert found == [], found
    assert "Robin Ashdown" not in (home / "progress.json").read_text()


# --- the lessons ----------------------------------------------------------------------------
def test_lesson_8_ends_with_the_cpd_record_and_lesson_1_mentions_it() -> None:
    last = nbformat.read(LESSONS_DIR / "08-grey-areas.ipynb", as_version=4)
    sources = [cell.source for cell in last.cells]
    record_cell = sources.index("show.cpd_record()")
    assert record_cell > sources.index('show.quiz("08-grey-areas")')
    assert sources[record_cell - 1].startswith("## Your CPD record")
    assert "Create my CPD record" in sources[record_cell - 1]
    assert "Include my reflections" in sources[record_cell - 1]
    welcome = nbformat.read(LESSONS_DIR / "01-welcome.ipynb", as_version=4)
    text = " ".join(" ".join(c.source for c in welcome.cells if c.cell_type == "markdown").split())
    assert "at the end of Lesson 8 you can create a printable CPD record" in text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('show.cpd_record("03-never-disclose")', "show.cpd_record takes no argument"),
        ("show.quiz()", "show.quiz takes one argument"),
        ("show.cpd_records()", "show.cpd_records does not exist"),
    ],
)
def test_builder_checks_cpd_record_cells(tmp_path: Path, line: str, message: str) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    text = folder / "lessons" / "03-never-disclose.md"
    text.write_text(text.read_text() + f"\n<!-- cell: {line} -->\n", encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(message)):
        build_lessons.build(folder)
