"""The learner's CPD record: progress kept when a lesson quiz is finished, exercises' first
attempts, the record widget, the printable record (self-declared, laid out as planned / did /
learned / apply; escaping, opt-in reflections) and its PDF (text extracted, first page rendered
to test-artifacts/cpd/).

Everything runs against the real course content, with the learner's private folder in a
temporary directory; a test checks that nothing is written anywhere else.
"""

from __future__ import annotations

import base64
import json
import os
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

from course import pdf
from course.authoring import build_lessons, originality
from course.authoring.build_lessons import LESSONS_DIR
from course.catalogue import bank
from course.catalogue.scenarios import CONTENT_DIR, VERDICTS, ContentError
from course.runtime import progress, show
from course.runtime.cpd import create, create_pdf, render
from course.runtime.cpd.record import lesson_principles
from course.runtime.private import HOME_ENV
from course.runtime.reflections import save_reflection
from course.runtime.widgets import CpdRecord, Quiz

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINT = ROOT / "tests" / "fixtures" / "content" / "source-article.fingerprint"
SOURCE_RUNS = originality.read_fingerprint(FINGERPRINT)
ARTIFACTS = Path(os.environ.get("PWC_ARTIFACTS", ROOT / "test-artifacts")) / "cpd"
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
    assert "Self-declared." in path.read_text(encoding="utf-8")


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
    assert "Record made 10 March 2025 at 09:05" in words
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
    assert "Tuesday sessions" in text and "In the learner's own words" in text


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


# --- self-declared, no verification -----------------------------------------------------------
@pytest.fixture
def record(home: Path) -> Path:
    save_reflection(NEVER, "Check the privacy settings every month.")
    progress.record_completion(bank.lesson(NEVER), score=9, posts=13, when=MARCH_3)
    return create(name="Robin Ashdown", include_reflections=True, now=MARCH_9)


def test_the_record_says_it_is_self_declared_and_claims_no_verification(record: Path) -> None:
    html = record.read_text(encoding="utf-8")
    words = _Page(html).words
    assert "Self-declared. This is the learner's own account of their CPD" in words
    assert "Nobody has checked it, and it is not a certificate." in words
    for claim in ("verification code", "verify", "has not been edited", "pwc-cpd-code",
                  "supervisor can check"):
        assert claim not in html, claim
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert headings == ["What I planned", "What I did", "What I learned", "How I will apply it"]


def test_reflections_go_under_how_i_will_apply_it_with_their_prompt(record: Path) -> None:
    page = _Page(record.read_text(encoding="utf-8"))
    apply = page.words.split("How I will apply it", 1)[1]
    assert "In the learner's own words" in apply
    assert " ".join(bank.lesson(NEVER).reflection.split()) in apply
    assert apply.index(bank.lesson(NEVER).reflection.split()[0]) < apply.index("every month")
    private_copy = render(name="Robin Ashdown", now=MARCH_9)
    assert "every month" not in private_copy
    assert "reflections are private and are not included" in _Page(private_copy).words


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "course.runtime.cpd", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, HOME_ENV: str(home)},
    )


def test_the_old_verify_command_says_records_cannot_be_verified(record: Path, home: Path) -> None:
    done = run_cli("verify", str(record), home=home)
    assert done.returncode == 1
    assert "self-declared" in done.stdout and "no longer checks records" in done.stdout
    assert "Unchanged" not in done.stdout and "Traceback" not in done.stderr


def test_the_create_command_makes_the_page_and_the_pdf(home: Path) -> None:
    progress.record_completion(bank.lesson(NEVER), score=9, posts=13, when=MARCH_3)
    done = run_cli("create", "--name", "Robin Ashdown", "--pdf", home=home)
    assert done.returncode == 0, done.stderr
    made = sorted(p.name for p in home.glob("cpd-record-*"))
    assert [Path(p).suffix for p in made] == [".html", ".pdf"]
    assert all(str(home / name) in done.stdout for name in made)


# --- exercises' first attempts ----------------------------------------------------------------
def test_an_exercise_keeps_its_first_attempt(home: Path) -> None:
    first = progress.record_exercise_attempt(
        "ex01_classify_posts", title="Exercise 1: Acceptable or not?", score=17, max_score=24,
        when=MARCH_3)
    assert (first.first_score, first.latest_score, first.attempts) == (17, 17, 1)
    again = progress.record_exercise_attempt(
        "ex01_classify_posts", title="Something else", score=24, max_score=24, when=MARCH_9)
    assert (again.first_attempted, again.latest_attempted) == (MARCH_3, MARCH_9)
    assert (again.first_score, again.latest_score, again.attempts) == (17, 24, 2)
    assert again.title == "Exercise 1: Acceptable or not?"
    assert progress.load_exercise_attempts() == {"ex01_classify_posts": again}
    assert mode(home / "exercises.json") == 0o600
    with pytest.raises(ValueError, match="between 0 and 24"):
        progress.record_exercise_attempt("ex01_classify_posts", title="x", score=25, max_score=24)


def test_unreadable_exercise_entries_are_left_out(home: Path) -> None:
    home.mkdir()
    (home / "exercises.json").write_text(json.dumps({
        "ex01_classify_posts": {"exercise": "ex02_rules_and_responses", "title": "mismatch",
                                "first_attempted": "2025-03-03T10:00:00", "first_score": 1,
                                "latest_attempted": "2025-03-03T10:00:00", "latest_score": 1,
                                "max_score": 5},
        "ex02_rules_and_responses": {"score": "lots"},
    }), encoding="utf-8")
    assert progress.load_exercise_attempts() == {}


def test_the_record_lists_exercises_with_their_first_attempt(home: Path) -> None:
    assert "No exercise had been tried on this computer" in _Page(render()).words
    progress.record_exercise_attempt("ex02_rules_and_responses", title="Exercise 2: Which rule?",
                                     score=20.5, max_score=27, when=MARCH_3)
    progress.record_exercise_attempt("ex02_rules_and_responses", title="Exercise 2: Which rule?",
                                     score=27, max_score=27, when=MARCH_9)
    html = render(now=MARCH_9)
    row = re.search(r'<tr data-exercise="ex02_rules_and_responses">(.*?)</tr>', html)
    assert row
    cells = [c.strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))]
    assert cells == ["Exercise 2: Which rule?", "3 March 2025", "20.5 of 27", "2"]
    assert "they are not marks from an assessor" in _Page(html).words


def test_what_the_record_page_says_about_the_name_and_completion_is_true(home: Path) -> None:
    import ipywidgets as widgets

    progress.record_completion(bank.lesson(NEVER), score=9, posts=13, when=MARCH_3)
    widget = CpdRecord()

    def said() -> str:
        found, todo = [], [widget]
        while todo:
            item = todo.pop()
            todo.extend(getattr(item, "children", ()))
            if isinstance(item, widgets.HTML):
                found.append(item.value)
        return " ".join(" ".join(found).split())

    words = said()
    assert "work through its quiz at the end to your score" not in words
    assert "A lesson counts as completed when you reach the end of its quiz and see your score."\
        in words
    assert "is not kept anywhere else" not in words
    assert "saved, with your name on it, in the course's private folder" in words
    widget.name.value = "Robin Ashdown"
    widget.create.click()
    saved = list(home.glob("cpd-record-*.html"))
    assert len(saved) == 1 and "Robin Ashdown" in saved[0].read_text(encoding="utf-8")


# --- the PDF ----------------------------------------------------------------------------------
NAMES = {"latin": "Zoë Ó Súilleabháin", "arabic": "زينب الحسيني", "chinese": "王小明"}


@pytest.mark.skipif(pdf.unavailable_reason() is not None, reason="PDFs cannot be made here")
def test_the_pdf_gives_the_total_once_after_the_last_lesson(home: Path) -> None:
    """The lessons table runs onto page 2 (its heading row repeats there): the total comes
    once, under the last lesson, not also at the foot of page 1 as if it were a subtotal."""
    from pypdf import PdfReader

    progress.record_completion(bank.lesson(NEVER), score=10, posts=13, when=MARCH_3)
    reader = PdfReader(create_pdf(name="Siân O'Connor-Ní Bhriain", now=MARCH_9))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    table_pages = [i for i, text in enumerate(pages) if "Quiz score at the first try" in text]
    assert len(table_pages) >= 2, "the lessons table should run onto a second page here"
    last = f"8. {bank.lessons()['08-grey-areas'].title}"
    totals = [i for i, text in enumerate(pages) for _ in range(text.count("Total completed"))]
    assert totals == [table_pages[-1]] and last in pages[table_pages[-1]], totals


@pytest.mark.skipif(pdf.unavailable_reason() is not None, reason="PDFs cannot be made here")
@pytest.mark.parametrize("script", sorted(NAMES))
def test_the_pdf_is_a4_tagged_and_shows_the_record(home: Path, script: str) -> None:
    from pypdf import PdfReader

    name = NAMES[script]
    progress.record_completion(bank.lesson(NEVER), score=9, posts=13, when=MARCH_3)
    progress.record_exercise_attempt("ex01_classify_posts", title="Exercise 1: Acceptable?",
                                     score=20, max_score=24, when=MARCH_3)
    path = create_pdf(name=name, now=MARCH_9)
    assert path == home / "cpd-record-2025-03-09.pdf" and mode(path) == 0o600
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (name, "Self-declared.", "What I planned", "What I did", "What I learned",
                     "How I will apply it", "3 March 2025", "9 of 13", "20 of 24",
                     "Exercise 1: Acceptable?"):
        assert expected in text, expected
    assert "verification" not in text.lower()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / f"cpd-record-{script}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(prefix)], check=True, timeout=60)
    assert prefix.with_suffix(".png").stat().st_size > 10_000


def test_without_pdfs_the_button_is_disabled_and_says_why(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = "the text-layout library that the PDF maker needs (Pango) is not installed."
    monkeypatch.setattr(pdf, "unavailable_reason", lambda: reason)
    widget = CpdRecord()
    assert widget.create_pdf.disabled
    assert "A PDF can't be made on this computer: The text-layout library" in widget.pdf_note.value
    assert "Your CPD record page works all the same" in widget.pdf_note.value
    widget._create_pdf()
    assert "Sorry, a PDF can&#39;t be made on this computer." in widget.status.value
    assert "(Pango) is not installed" in widget.status.value
    widget.create.click()  # the page still works
    assert widget.path is not None and widget.path.is_file()
    assert "Your CPD record is ready." in widget.status.value


@pytest.mark.skipif(pdf.unavailable_reason() is not None, reason="PDFs cannot be made here")
def test_the_pdf_button_saves_the_pdf_and_offers_it(home: Path) -> None:
    widget = CpdRecord()
    assert not widget.create_pdf.disabled and widget.pdf_note.value == ""
    widget.name.value = "Robin Ashdown"
    widget.create_pdf.click()
    path = widget.pdf_path
    assert path is not None and path.parent == home and path.suffix == ".pdf"
    link = re.search(r"download='([^']+)' href='data:application/pdf;base64,([^']+)'",
                     widget.status.value)
    assert link and link.group(1) == path.name
    assert base64.b64decode(link.group(2)) == path.read_bytes()
    assert path.read_bytes().startswith(b"%PDF-")

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
