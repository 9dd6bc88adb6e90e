"""The learner app's parts without a browser: settings, the launcher's options, the pages folder,
the learner's exercise copy, kept lesson answers and Start again. (Through the real server in
Chromium: tests/browser/test_app_*.py and test_make_course.py.)
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import nbformat
import pytest

from course.app import course, exercise_copy, settings, site
from course.catalogue import bank
from course.runtime import activity
from course.runtime.widgets import Branching, Classify, Quiz
from grader.exercise import load_exercise

EX1_ITEMS = len(load_exercise("ex01_classify_posts").auto_items)


@pytest.fixture(autouse=True)
def learner_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "learner"
    monkeypatch.setenv("POSTING_WITH_CARE_HOME", str(home))
    for name in (settings.ASSESSED_ENV, settings.SUBMIT_ENV):
        monkeypatch.delenv(name, raising=False)
    return home


# --- settings and options ------------------------------------------------------------------------
@pytest.mark.parametrize(("assessed", "submit", "expected"), [
    ("", "", settings.AppSettings(False, "download")),
    ("1", "exchange", settings.AppSettings(True, "exchange")),
    ("no", "Download", settings.AppSettings(False, "download")),
])
def test_settings_from_the_environment(monkeypatch, assessed, submit, expected) -> None:
    monkeypatch.setenv(settings.ASSESSED_ENV, assessed)
    monkeypatch.setenv(settings.SUBMIT_ENV, submit)
    assert settings.current() == expected
    assert settings.current().self_marking is not expected.assessed


@pytest.mark.parametrize(("name", "value"), [(settings.ASSESSED_ENV, "maybe"),
                                             (settings.SUBMIT_ENV, "email")])
def test_a_bad_setting_is_named(monkeypatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(settings.SettingError, match=name):
        settings.current()


@pytest.mark.parametrize(("argv", "browser", "port", "rest"), [
    ([], True, None, []),
    (["--no-browser", "--port", "9001"], False, 9001, []),
    (["--port=9002", "--VoilaConfiguration.default_pool_size=2"], True, 9002,
     ["--VoilaConfiguration.default_pool_size=2"]),
    (["--ServerApp.open_browser=False"], False, None, []),
])
def test_course_args_are_spelled_as_jupyterlabs(argv, browser, port, rest) -> None:
    options, extra = course.parse(argv)
    assert (options["browser"], options["port"], extra) == (browser, port, rest)


@pytest.mark.parametrize("argv", [["--port"], ["--port", "lots"], ["--port=0"], ["notebook"]])
def test_bad_course_args_are_refused_plainly(argv) -> None:
    with pytest.raises(course.UsageError):
        course.parse(argv)


def test_the_printed_address_is_the_home_page_with_the_token() -> None:
    url = course.home_url("127.0.0.1", 8866, "abc")
    assert url == "http://127.0.0.1:8866/voila/render/home.ipynb?token=abc"


# --- the pages folder ---------------------------------------------------------------------------
def test_the_pages_folder_holds_the_pages_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "stray.ipynb").write_text("{}", encoding="utf-8")
    site.build(folder)
    names = sorted(p.name for p in folder.iterdir())
    lessons = [f"{lesson_id}.ipynb" for lesson_id in bank.lessons()]
    exercises = [f"{ex}.ipynb" for ex in site.exercise_ids()]
    trainer = ["session-builder.ipynb"]  # the trainer's page (docs/workshop.md)
    assert names == sorted(["home.ipynb", "cpd-record.ipynb", *lessons, *exercises, *trainer])
    assert len(exercises) == 3
    for path in folder.iterdir():
        nb = nbformat.read(path, as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        assert code[0].startswith("from course.app import page\n"), path.name
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "Run ▸" not in text and "Run All" not in text and "exercises/" not in text
        raw = path.read_text(encoding="utf-8")
        assert "explanation:" not in raw and "grader/keys" not in raw
    welcome = (folder / "01-welcome.ipynb").read_text(encoding="utf-8")
    assert "page.footer(\\\"01-welcome\\\")" in welcome


def test_every_page_in_sequence_has_a_title() -> None:
    names = [name for name, _ in site.sequence()]
    assert names[0] == "home" and names[-1] == "cpd-record"
    assert len(names) == len(set(names)) == 1 + 8 + 3 + 1


# --- the learner's exercise copy ---------------------------------------------------------------
def test_answers_are_written_as_literal_lines_into_the_learners_own_copy(learner_home) -> None:
    from grader.exercise import load_exercise
    from grader.scoring import score_notebook

    path = exercise_copy.ensure_copy("ex01_classify_posts")
    folder = learner_home / "exercises" / "ex01_classify_posts"
    assert path == folder / "attempt-1" / "ex01_classify_posts.ipynb"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == exercise_copy.released_path("ex01_classify_posts").read_bytes()
    exercise_copy.write_answer(path, "post_07", "not acceptable")
    exercise_copy.write_answer(path, "post_07", "acceptable")  # a change replaces the line
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert 'post_07 = "acceptable"' in sources
    assert not any("not acceptable" in s and "post_07 =" in s for s in sources)
    scored = score_notebook(nb, load_exercise("ex01_classify_posts"))
    item = scored.item("post_07")
    assert (item.status, item.value) == ("answered", "acceptable")
    assert exercise_copy.progress("ex01_classify_posts") == (1, EX1_ITEMS)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # written whole, no leftovers


def test_the_folders_made_in_the_private_folder_are_owner_only(learner_home) -> None:
    path = exercise_copy.ensure_copy("ex01_classify_posts")
    made = [learner_home, learner_home / "exercises", learner_home / "exercises" /
            "ex01_classify_posts", path.parent]
    assert {folder: oct(stat.S_IMODE(folder.stat().st_mode)) for folder in made} == {
        folder: oct(0o700) for folder in made}


def test_a_written_part_keeps_its_heading(learner_home) -> None:
    ex = "ex03_social_media_policy"
    path = exercise_copy.ensure_copy(ex)
    the_spec = exercise_copy.spec(ex)
    section = next(iter(the_spec.policy))
    exercise_copy.write_policy(path, section, "I use a professional page only.")
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == section)
    assert cell.source.startswith("#### ") and cell.source.endswith(
        "I use a professional page only.")
    assert exercise_copy.current_policy(path, the_spec)[section] == (
        "I use a professional page only.")


def test_a_new_attempt_keeps_the_earlier_one() -> None:
    ex = "ex01_classify_posts"
    first = exercise_copy.ensure_copy(ex)
    exercise_copy.write_answer(first, "post_01", "acceptable")
    second = exercise_copy.new_attempt(ex)
    assert second != first and first.exists() and second.exists()
    assert 'post_01 = \\"acceptable\\"' in first.read_text(encoding="utf-8")
    assert exercise_copy.progress(ex) == (0, EX1_ITEMS)


@pytest.mark.parametrize("value", ['say "hi"', "a\\b", "two\nlines"])
def test_an_answer_that_cannot_be_a_literal_line_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        exercise_copy.answer_line("post_01", value)


def test_mark_my_exercise_is_absent_for_an_assessed_cohort(monkeypatch) -> None:
    from course.app.exercise_page import ExercisePage

    def buttons(page) -> set[str]:
        found, todo = set(), [page]
        while todo:
            widget = todo.pop()
            todo += list(getattr(widget, "children", ()))
            if hasattr(widget, "description") and "pwc-primary" in widget._dom_classes:
                found.add(widget.description)
        return found

    assert "Mark my exercise" in buttons(ExercisePage("ex01_classify_posts"))
    monkeypatch.setenv(settings.ASSESSED_ENV, "1")
    assessed = buttons(ExercisePage("ex01_classify_posts"))
    assert "Mark my exercise" not in assessed and "Submit" in assessed


def test_through_the_exchange_a_reopened_page_says_handed_in_then_shows_the_mark(
        monkeypatch, tmp_path: Path) -> None:
    """Exchange mode (the room on JupyterHub) without a hub: the state a reload finds."""
    from course.app import home
    from course.app.exercise_page import ExercisePage

    ex = "ex01_classify_posts"
    unix_home, config, exchange_root = tmp_path / "home", tmp_path / "etc", tmp_path / "x"
    for folder in (unix_home, config, exchange_root):
        folder.mkdir()
    (config / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(exchange_root)!r}\n"
        "c.CourseDirectory.course_id = 'posting-with-care'\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(unix_home))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(config))
    monkeypatch.setenv(settings.ASSESSED_ENV, "1")
    monkeypatch.setenv(settings.SUBMIT_ENV, "exchange")
    assert home.exercise_state(ex, True) == ("pwc-state-new", "Not handed out yet")
    (exchange_root / "posting-with-care" / "outbound" / ex).mkdir(parents=True)
    assert home.exercise_state(ex, True) == ("pwc-state-new", "Not started")

    first = ExercisePage(ex)
    first.choices["post_01"].value = "acceptable"
    assert "Saved in your course account" in first.save_status.value  # not "this computer"
    exercise_copy.mark_submitted(ex, True)
    page = ExercisePage(ex)  # what a reload draws
    assert "Handed in on " in page.submit_result.value
    assert "hand in again" in page.submit_result.value
    assert "pwc-download" not in page.submit_result.value
    assert page.again.layout.display == "none" and page.unsubmit.layout.display == "flex"
    assert page.exchange_result.value == ""
    assert home.exercise_state(ex, True)[1].startswith("Submitted on ")

    fetched = unix_home / ex / "feedback" / "2026-12-01 10:00:00.000000 UTC" / f"{ex}.html"
    fetched.parent.mkdir(parents=True)
    fetched.write_text("<h4>Your feedback: ex01_classify_posts\n (score 13 of 26)</h4>",
                       encoding="utf-8")
    page = ExercisePage(ex)
    assert "Your mark: 13 of 26." in page.exchange_result.value
    assert "has marked it" in page.submit_result.value
    assert "srcdoc=" in page.exchange_report.value
    assert home.exercise_state(ex, True) == ("pwc-state-done", "Marked: 13 of 26")
    assert home.exercise_state(ex, False)[1].startswith("Submitted on ")


# --- lesson answers kept between visits ----------------------------------------------------------
def test_a_practice_post_is_shown_answered_again_and_try_again_forgets_it() -> None:
    post = bank.post("p001")
    first = Classify(post, remember=True)
    first.verdict.value = post.verdict
    first._check_verdict()
    again = Classify(post, remember=True)
    assert again.verdict.value == post.verdict and again.verdict.disabled
    assert "pwc-correct" in again.feedback._dom_classes
    assert again.try_again.layout.display == "flex"
    again._try_again()
    assert again.verdict.value is None and not again.verdict.disabled
    assert activity.post_answer(post.lesson, post.id) == {}
    assert Classify(post, remember=True).verdict.value is None
    assert Classify(post).try_again.layout.display == "none"


def test_a_quiz_and_a_situation_pick_up_where_they_were() -> None:
    lesson_id = "03-never-disclose"
    quiz = Quiz(bank.lesson_posts(lesson_id), seed=1, remember_as=lesson_id)
    item = quiz.item
    item.verdict.value = item.post.verdict
    item._check_verdict()
    quiz._next()
    again = Quiz(bank.lesson_posts(lesson_id), seed=2, remember_as=lesson_id)
    assert [p.id for p in again.round] == [p.id for p in quiz.round]
    assert again.position == 1 and again.score == 1
    response = next(r for r in bank.responses().values() if r.lesson == lesson_id)
    branching = Branching(response, remember=True)
    branching.choice.value = 0
    branching._see()
    assert Branching(response, remember=True).consequence.value != ""


def test_start_again_puts_the_lesson_records_aside(learner_home) -> None:
    from course.app.home import lesson_state, start_again

    activity.opened("01-welcome", "Welcome", "01-welcome")
    assert lesson_state("01-welcome")[1] == "In progress"
    aside = Path(start_again())
    assert json.loads((aside / "activity.json").read_text(encoding="utf-8"))["lessons"]
    assert lesson_state("01-welcome")[1] == "Not started"
    assert start_again() == ""


# --- marking your own written parts (Exercise 3, learning alone) --------------------------------
def _all_widgets(root) -> list:
    found, todo = [], [root]
    while todo:
        widget = todo.pop()
        found.append(widget)
        todo += list(getattr(widget, "children", ()))
    return found


def test_the_rubric_a_learner_marks_against_is_the_assessors() -> None:
    import yaml

    from course.app import self_assessment

    ex = "ex03_social_media_policy"
    key = yaml.safe_load(Path(load_exercise(ex).keys_dir, f"{ex}.yaml").read_text("utf-8"))
    sections = {entry["id"]: entry["section"] for part in key["parts"]
                for entry in part["entries"] if "section" in entry}
    parts = self_assessment.rubric(ex)
    assert [p.id for p in parts] == list(sections) and len(parts) == 7
    for number, part in enumerate(parts, start=1):
        section = sections[part.id]
        assert part.number == number and part.heading == section["heading"]
        assert " ".join(part.criterion.split()) == " ".join(section["criterion"].split())
        assert {m: " ".join(t.split()) for m, t in part.levels.items()} == \
            {int(m): " ".join(str(t).split()) for m, t in section["levels"].items()}
    assert sum(p.points for p in parts) == load_exercise(ex).manual_max_score
    assert self_assessment.rubric("ex01_classify_posts") == []


def test_a_learner_alone_marks_their_written_parts_against_the_rubric() -> None:
    import ipywidgets as widgets

    from course.app import home, self_assessment
    from course.app.exercise_page import ExercisePage
    from course.runtime import progress

    ex = "ex03_social_media_policy"
    page = ExercisePage(ex)
    parts = list(page.parts)
    for section in parts[:-1]:  # the last part left empty
        page.parts[section].value = f"My own words for {section}: <b>kept as text</b>."
    page._mark()
    assert exercise_copy.state(ex)["status"] == "marked"
    assert home.exercise_state(ex)[1] == "Locked: mark your written parts yourself"
    assert ex not in progress.load_exercise_attempts()  # nothing to record before own marks
    (own,) = page.own_marks.children
    assert isinstance(own, self_assessment.SelfAssessment)
    html = " ".join(w.value for w in _all_widgets(own) if isinstance(w, widgets.HTML))
    assert "&lt;b&gt;kept as text&lt;/b&gt;" in html and "<b>kept" not in html
    assert "You left this part empty." in html
    radios = {p: own.marks[p] for p in parts}
    assert [r.description for r in radios.values()][0].startswith("Your mark for Part 1: ")
    given = {p: i % 3 for i, p in enumerate(parts)}
    for section, mark in given.items():
        assert own.save.disabled
        radios[section].value = mark
    assert not own.save.disabled
    assert f"{sum(given.values())} of 14" in own.total.value
    own.save.click()

    attempt = progress.load_exercise_attempts()[ex]
    assert (attempt.first_score, attempt.max_score, attempt.self_assessed) == \
        (sum(given.values()), 14, True)
    assert all(r.disabled for r in radios.values()) and own.save.layout.display == "none"
    assert home.exercise_state(ex)[1] == f"Marked: {sum(given.values())} of 14 (your own marks)"
    # the page opened again shows the saved, locked marks
    again = ExercisePage(ex).own_marks.children[0]
    assert {p: again.marks[p].value for p in parts} == given
    assert all(again.marks[p].disabled for p in parts)
    assert self_assessment.saved_marks(ex) == given
    # a new attempt starts unmarked
    page._new_attempt()
    assert page.own_marks.children == () or list(page.own_marks.children) == []
    assert self_assessment.saved_marks(ex) == {} and not self_assessment.marks_saved(ex)


def test_the_room_vote_counts_only_on_a_hub(monkeypatch) -> None:
    for name in (settings.VOTE_ENV, settings.ROLE_ENV, settings.HUB_USER_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(settings.VOTE_ENV, "/services/vote/")
    assert settings.current().vote == ""  # not on a hub: never looks for a vote
    monkeypatch.setenv(settings.HUB_USER_ENV, "kim")
    assert settings.current().learner_vote == "/services/vote/"
    assert settings.current().trainer_vote == ""
    monkeypatch.setenv(settings.ROLE_ENV, "trainer")
    assert (settings.current().learner_vote, settings.current().trainer_vote) == (
        "", "/services/vote/")
    for bad in ("https://elsewhere.example/vote/", "/services/vote", "javascript:x"):
        monkeypatch.setenv(settings.VOTE_ENV, bad)
        with pytest.raises(settings.SettingError, match=settings.VOTE_ENV):
            settings.current()
    monkeypatch.setenv(settings.VOTE_ENV, "/services/vote/")
    monkeypatch.setenv(settings.ROLE_ENV, "assessor")
    with pytest.raises(settings.SettingError, match=settings.ROLE_ENV):
        settings.current()


def test_mark_my_exercise_writes_only_the_learners_grade_and_feedback(learner_home) -> None:
    from course.app import marking

    ex = "ex01_classify_posts"
    path = exercise_copy.ensure_copy(ex)
    exercise_copy.write_answer(path, "post_07", "acceptable")
    marked = marking.mark(ex, path)
    written = sorted(str(p.relative_to(marked.out)) for p in marked.out.rglob("*"))
    assert written == ["feedback", f"feedback/{ex}.html", "grades.csv"]
    assert marked.max_score > 0 and "post" in marked.feedback_html.casefold()


def test_the_launcher_culls_idle_kernels_and_keeps_the_terminal_plain(tmp_path: Path) -> None:
    args = course.voila_args(tmp_path, "127.0.0.1", 8866, "t", [])
    assert f"--MappingKernelManager.cull_idle_timeout={course.IDLE_KERNEL_MINUTES * 60}" in args
    assert "--Voila.log_level=WARN" in args and "--KernelManager.transport=ipc" in args
    assert "--MappingKernelManager.kernel_manager_class=course.app.server.CourseKernelManager" \
        in args
    assert "--Voila.log_level=INFO" in course.voila_args(tmp_path, "127.0.0.1", 8866, "t",
                                                         ["--Voila.log_level=INFO"])
