"""The whole trainer/learner flow through the room on JupyterHub, as people do it, in Chromium.

The session's one room (the `room` fixture in `tests/conftest.py`). The trainer and three
learners sign in on the hub's login page with their own passwords; each learner lands on the
learner app's home page, opens a lesson and judges a post; the trainer generates and releases
Exercise 1 in formgrader (its own tab); it shows as handed out on the learners' home pages; the
learners answer through the exercise page's controls (all right, half, nothing) and press
**Submit**; a reloaded exercise page says when it was handed in; the trainer collects in
formgrader, runs the cohort command with ``--course-dir`` in a terminal of their own account,
and generates and releases the feedback in formgrader; each learner presses *See my feedback*
and reads their own mark, and the home page shows it. The marks equal the answers' scores from
the real key. Then, on the result: a learner cannot reach keys or anyone else's work, through the
server's APIs or their own kernel.

The learners' steps run side by side (each action is started on every learner's page, then each
page is waited for), so three learners cost little more than one.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hub_room import COURSE_ID, FLOW_LEARNERS, RUNTIME, Room, login_in_browser, why_not
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pwcdom import CLASSIFY, give_verdict, read

from course.catalogue import bank
from grader.exercise import load_exercise

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.timeout(1500)]
if why_not():
    pytest.skip(why_not(), allow_module_level=True)

EX = "ex01_classify_posts"
LESSON = "01-welcome"
POST = bank.post("p003")  # the first practice post of lesson 1
SLOW = 240_000  # ms: a Voilà page or an nbgrader command on the hub, on 2 shared cores
READY = ".pwc-app-footer, .pwc-home"


# --- people and their pages ---------------------------------------------------------------------
class Person:
    """Someone in the room with their own browser (cookies of their own) and a page in it."""

    def __init__(self, room: Room, name: str, context: BrowserContext) -> None:
        self.room, self.name, self.context = room, name, context
        self.page = context.new_page()

    def app_url(self, page_name: str) -> str:
        return f"{self.room.url}/user/{self.name}/voila/render/course-app/{page_name}.ipynb"

    def start(self, page_name: str) -> None:
        """Start opening an app page (another person's can start meanwhile)."""
        self.page.goto(self.app_url(page_name), wait_until="commit")

    def drawn(self) -> Page:
        """Wait until the app page is drawn to its end."""
        self.page.locator(READY).first.wait_for(timeout=SLOW)
        return self.page

    def arrived(self, page_name: str) -> Page:
        """Wait until a link followed has brought this page to app page ``page_name``, drawn."""
        self.page.wait_for_url(re.compile(rf"/course-app/{page_name}\.ipynb"), timeout=SLOW)
        return self.drawn()

    def exercise_row(self):
        return self.page.locator(f"tr[data-exercise='{EX}'] .pwc-state")


def each(people: list[Person], start: Callable[[Person], object],
         then: Callable[[Person], object] | None = None) -> None:
    """Start an action on every person's page, then wait for each (side by side)."""
    for person in people:
        start(person)
    for person in people:
        (then or Person.drawn)(person)


def formgrader_step(page: Page, column: str) -> str:
    """Press a formgrader button in Exercise 1's row (Manage Assignments) and read its
    outcome box; fail with nbgrader's log when it reports an error."""
    row = page.locator("tr", has=page.locator("td.name", has_text=EX))
    row.locator(f"td.{column} a").click()
    modal = page.locator("#success-modal, #error-modal")
    expect(modal).to_be_visible(timeout=SLOW)
    text = modal.inner_text()
    assert modal.get_attribute("id") == "success-modal", text
    modal.locator(".modal-footer button").click()
    expect(modal).to_have_count(0)
    return text


def as_trainer(room: Room, *command: str) -> subprocess.CompletedProcess:
    """A command in a terminal of the trainer's own account, in their course folder."""
    venv_bin = RUNTIME / "venv" / "bin"
    env = [f"HOME=/home/{room.trainer}", f"PATH={venv_bin}:/usr/bin:/bin", "LANG=C.UTF-8",
           f"JUPYTER_CONFIG_PATH={room.room_dir}/etc/trainer"]
    return subprocess.run(["runuser", "-u", room.trainer, "--", "env", "-i", *env, *command],
                          cwd=room.course_dir(), capture_output=True, text=True, timeout=600)


def choose(page: Page, name: str, value: str) -> None:
    page.locator(f".pwc-answer-{name}").get_by_label(value, exact=True).check()


# --- the flow -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def flow(room: Room, browser: Browser, browser_context_args: dict,
         screenshots: Path) -> Iterator[dict]:
    shots = screenshots / "hub"
    shots.mkdir(parents=True, exist_ok=True)
    contexts = []

    def person(name: str) -> Person:
        context = browser.new_context(**browser_context_args)
        context.set_default_timeout(SLOW)
        contexts.append(context)
        return Person(room, name, context)

    trainer = person(room.trainer)
    learners = [person(name) for name in room.learners[:FLOW_LEARNERS]]
    key = load_exercise(EX)
    right = {item.variable: item.answer for item in key.auto_items}
    half = dict(list(right.items())[: len(right) // 2])
    plans = [right, half, {}]
    record: dict = {"landed": {}}
    try:
        # everyone signs in with their own password; the hub starts their servers side by side
        everyone = [trainer, *learners]
        each(everyone, lambda p: login_in_browser(p.page, room, p.name),
             lambda p: p.page.wait_for_url(re.compile(rf"/user/{p.name}/"), timeout=SLOW))
        for learner in learners:
            learner.drawn()
            record["landed"][learner.name] = learner.page.url
            expect(learner.exercise_row()).to_have_text("Not handed out yet")
        learners[0].page.screenshot(path=shots / "learner-home-before-release.png",
                                    full_page=True)
        trainer.page.wait_for_url(re.compile("/lab/tree/posting-with-care/trainer-home"),
                                  timeout=SLOW)
        record["landed"][trainer.name] = trainer.page.url

        # each learner opens Lesson 1 from their home page and judges its first practice post
        each(learners, lambda p: p.page.get_by_role("link", name=re.compile(
            r"^1\. ")).first.click(no_wait_after=True), lambda p: p.arrived(LESSON))
        for learner in learners:
            post = learner.page.locator(CLASSIFY).filter(
                has=learner.page.locator(f"[data-post-id='{POST.id}']")).first
            give_verdict(post, POST.verdict, "correct")

        # the trainer generates and releases Exercise 1 in formgrader, in its own tab
        grader = trainer.context.new_page()
        trainer.page.close()
        grader.goto(f"{room.url}/user/{room.trainer}/formgrader/manage_assignments")
        record["generated"] = formgrader_step(grader, "assign")
        expect(grader.locator("tr", has=grader.locator("td.name", has_text=EX)).locator(
            "td.release a")).to_be_visible(timeout=SLOW)
        record["released"] = formgrader_step(grader, "release")

        # it is handed out on the learners' home pages; they open it and answer with the controls
        each(learners, lambda p: p.start("home"))
        for learner in learners:
            expect(learner.exercise_row()).to_have_text("Not started")
        each(learners, lambda p: p.page.locator(f"tr[data-exercise='{EX}'] a").click(
            no_wait_after=True), lambda p: p.arrived(EX))
        for learner, plan in zip(learners, plans, strict=True):
            for name, value in plan.items():
                choose(learner.page, name, value)
        # Submit on every page, then wait for each to be handed in through the exchange
        each(learners, lambda p: p.page.get_by_role("button", name="Submit").click(),
             lambda p: expect(p.page.locator(".pwc-submit-result")).to_contain_text(
                 "Handed in on", timeout=SLOW))
        for learner in learners:
            expect(learner.page.locator(".pwc-submit-result")).to_contain_text(
                "latest hand-in counts")

        # a reloaded exercise page still says it is handed in (and offers no download)
        each(learners, lambda p: p.page.reload(wait_until="commit"))
        for learner, plan in zip(learners, plans, strict=True):
            page = learner.page
            expect(page.locator(".pwc-submit-result")).to_contain_text("Handed in on",
                                                                         timeout=SLOW)
            expect(page.locator(".pwc-submit-result")).to_contain_text("hand in again")
            expect(page.locator("a.pwc-download")).to_have_count(0)
            expect(page.get_by_role("button", name="Change my answers")).to_be_visible()
            expect(page.get_by_role("button", name="New attempt")).to_be_hidden()
            for name, value in plan.items():
                answer = page.locator(f".pwc-answer-{name}").get_by_label(value, exact=True)
                expect(answer).to_be_checked()
                expect(answer).to_be_disabled()
        learners[0].page.locator(".pwc-actions").scroll_into_view_if_needed()
        learners[0].page.screenshot(path=shots / "learner-exercise-after-submit-reload.png")
        each(learners, lambda p: p.start("home"))
        for learner in learners:
            expect(learner.exercise_row()).to_contain_text("Submitted on")
        record["home_submitted"] = learners[0].exercise_row().inner_text()

        # the trainer collects, grades the cohort in a terminal, and releases feedback
        record["collected"] = formgrader_step(grader, "collect")
        graded = as_trainer(room, "python", "-m", "grader", "grade", EX, "submitted",
                            "--out", f"cohort/{EX}", "--course-dir", ".")
        assert graded.returncode == 0, graded.stdout[-3000:] + graded.stderr[-3000:]
        record["grades"] = list(csv.DictReader(io.StringIO(
            as_trainer(room, "cat", f"cohort/{EX}/grades.csv").stdout)))
        grader.reload()
        expect(grader.locator("tr", has=grader.locator("td.name", has_text=EX)).locator(
            "td.generate-feedback a")).to_be_visible(timeout=SLOW)
        record["feedback_generated"] = formgrader_step(grader, "generate-feedback")
        record["feedback_released"] = formgrader_step(grader, "release-feedback")

        # each learner opens the exercise, asks for their feedback and reads their own mark
        each(learners, lambda p: p.start(EX))
        each(learners, lambda p: p.page.get_by_role("button", name="See my feedback").click(),
             lambda p: expect(p.page.locator(".pwc-exchange-feedback-result")).to_contain_text(
                 "Your mark:", timeout=SLOW))
        record["marks"], record["feedback"] = {}, {}
        for learner in learners:
            page = learner.page
            record["marks"][learner.name] = read(page.locator(".pwc-exchange-feedback-result"))
            expect(page.locator(".pwc-submit-result")).to_contain_text("has marked it")
            frame = page.locator("iframe.pwc-feedback-frame")
            expect(frame).to_be_visible()
            record["feedback"][learner.name] = frame.get_attribute("srcdoc")
        learners[1].page.locator(".pwc-exchange-feedback-result").scroll_into_view_if_needed()
        learners[1].page.screenshot(path=shots / "learner-feedback.png")
        # and the mark stays: on the exercise page after a reload, and on the home page
        each(learners[:1], lambda p: p.page.reload(wait_until="commit"))
        expect(learners[0].page.locator(".pwc-exchange-feedback-result")).to_contain_text(
            "Your mark:", timeout=SLOW)
        record["marks_after_reload"] = read(
            learners[0].page.locator(".pwc-exchange-feedback-result"))
        each(learners, lambda p: p.start("home"))
        record["home_marked"] = {p.name: p.exercise_row().inner_text() for p in learners}
        learners[0].page.screenshot(path=shots / "learner-home-marked.png", full_page=True)
    except BaseException:
        for context in contexts:
            for page in context.pages:
                page.screenshot(path=shots / f"failure-{contexts.index(context)}-"
                                f"{context.pages.index(page)}.png")
        raise
    finally:
        for context in contexts:
            context.close()

    # the same people through the hub's API with their own tokens, for the privacy checks
    users = {}
    for name in (room.trainer, *room.learners[:FLOW_LEARNERS]):
        users[name] = room.user(name)
        assert users[name].login(), f"{name} could not sign in again"
        users[name].make_token()
    yield {**record, "plans": plans, "key": key, "trainer": users[room.trainer],
           "learners": [users[name] for name in room.learners[:FLOW_LEARNERS]]}


# --- what the flow must show --------------------------------------------------------------------
def expected_scores(flow: dict) -> list[float]:
    return [flow["key"].max_score, len(flow["plans"][1]), 0]


def test_everyone_signs_in_and_lands_on_their_home_page(room: Room, flow: dict) -> None:
    for learner in flow["learners"]:
        landed = flow["landed"][learner.name]
        assert landed.split("?")[0] == (
            f"{room.url}/user/{learner.name}/voila/render/course-app/home.ipynb")
    assert "/lab/tree/posting-with-care/trainer-home" in flow["landed"][room.trainer]
    lessons = flow["learners"][0].server("GET", "api/contents/course/lessons").json()["content"]
    assert len([m for m in lessons if m["name"].endswith(".ipynb")]) >= 8


def test_the_trainer_releases_collects_and_releases_feedback_in_formgrader(flow: dict) -> None:
    assert f"Successfully released '{EX}'" in flow["released"]
    assert f"Successfully collected submissions of '{EX}'" in flow["collected"]
    assert f"Successfully released feedback of '{EX}'" in flow["feedback_released"]


def test_the_cohort_command_marks_each_hand_in_by_the_key(flow: dict) -> None:
    grades = {row["learner"]: row for row in flow["grades"]}
    learners = flow["learners"]
    assert set(grades) == {learner.name for learner in learners}
    for learner, score in zip(learners, expected_scores(flow), strict=True):
        assert grades[learner.name]["status"] == "graded"
        assert float(grades[learner.name]["score"]) == score
        assert float(grades[learner.name]["max_score"]) == flow["key"].max_score


def test_each_learner_reads_their_own_mark_in_the_app(flow: dict) -> None:
    out_of = flow["key"].max_score
    for learner, score in zip(flow["learners"], expected_scores(flow), strict=True):
        assert flow["marks"][learner.name].startswith(f"Your mark: {score:g} of {out_of:g}.")
        assert f"Marked: {score:g} of {out_of:g}" == flow["home_marked"][learner.name]
        page = flow["feedback"][learner.name]
        assert "<html" in page.lower() and f"(score {score:g} of {out_of:g})" in page
        others = [other.name for other in flow["learners"] if other.name != learner.name]
        assert not any(other in page for other in others), "someone else's name in feedback"
    assert flow["marks_after_reload"] == flow["marks"][flow["learners"][0].name]
    assert flow["home_submitted"].startswith("Submitted on")


KERNEL_PROBE = r'''
import glob, json, os
results = {}
def attempt(label, action):
    try:
        value = action()
        results[label] = "OPENED: " + repr(value)[:200]
    except (PermissionError, FileNotFoundError, ModuleNotFoundError, NotADirectoryError) as e:
        results[label] = "refused: " + type(e).__name__
course = "/home/@TRAINER@/posting-with-care"
attempt("trainer home", lambda: os.listdir("/home/@TRAINER@"))
attempt("answer key", lambda: open(course + "/grader/keys/@EX@.yaml").read())
attempt("solutions", lambda: open(course + "/solutions/@EX@/@EX@.ipynb").read())
attempt("gradebook", lambda: open(course + "/gradebook.db", "rb").read(100))
attempt("cohort grades", lambda: open(course + "/cohort/@EX@/grades.csv").read())
attempt("other home", lambda: os.listdir("/home/@OTHER@"))
attempt("other submission", lambda: open("/home/@OTHER@/@EX@/@EX@.ipynb").read())
attempt("other feedback", lambda: os.listdir("/home/@OTHER@/@EX@/feedback"))
attempt("other's app copy", lambda: os.listdir("/home/@OTHER@/.posting-with-care"))
attempt("exchange inbound", lambda: os.listdir("@EXCHANGE@/inbound"))
attempt("exchange feedback", lambda: os.listdir("@EXCHANGE@/feedback"))
attempt("hub state", lambda: os.listdir("@ROOM@/state"))
attempt("passwords", lambda: open("@ROOM@/state/passwords.csv").read())
attempt("trainer settings", lambda: os.listdir("@ROOM@/etc/trainer"))
attempt("grader package", lambda: __import__("grader.items"))
shared = glob.glob("@RUNTIME@/**/*.yaml", recursive=True)
results["keys anywhere readable"] = [p for p in shared if "/keys/" in p]
print(json.dumps(results))
'''


def test_a_learner_cannot_reach_keys_or_anyone_elses_work(room: Room, flow: dict) -> None:
    me, other = flow["learners"][0], flow["learners"][1]
    trainer = room.trainer
    # through the server's APIs
    attempts = {
        "trainer's course via contents":
            me.server("GET", f"api/contents/../{trainer}/posting-with-care"),
        "trainer's course, encoded":
            me.server("GET", f"api/contents/%2e%2e/{trainer}/posting-with-care"),
        "key via files route":
            me.server("GET", f"files/../{trainer}/posting-with-care/grader/keys/{EX}.yaml"),
        "key via files, encoded":
            me.server("GET", f"files/%2e%2e/{trainer}/posting-with-care/grader/keys/{EX}.yaml"),
        "other's feedback via files":
            me.server("GET", f"files/%2e%2e/{other.name}/{EX}/feedback"),
        "absolute path via contents": me.server("GET", "api/contents//etc/passwd"),
        "other learner's server": me.call("GET", f"/user/{other.name}/api/contents/{EX}"),
        "other learner's files": me.call("GET", f"/user/{other.name}/files/{EX}/{EX}.ipynb"),
        "other learner's app": me.call(
            "GET", f"/user/{other.name}/voila/render/course-app/{EX}.ipynb"),
        "trainer's server": me.call("GET", f"/user/{trainer}/api/contents/posting-with-care"),
        "trainer's formgrader": me.call("GET", f"/user/{trainer}/formgrader/api/submissions/{EX}"),
        "own formgrader": me.server("GET", f"formgrader/api/submissions/{EX}"),
        "hub's user list": me.call("GET", "/hub/api/users"),
        "other learner's tokens": me.call("GET", f"/hub/api/users/{other.name}/tokens"),
        "start other's server": me.call("POST", f"/hub/api/users/{other.name}/server"),
    }
    opened = {label: reply.status_code for label, reply in attempts.items()
              if reply.status_code < 300 or (reply.status_code in (301, 302, 303) and
                                             "/hub/login" not in reply.headers.get("Location", ""))}
    assert opened == {}, f"a learner's request was answered: {opened}"

    # through the learner's own kernel
    exchange = f"{room.room_dir}/exchange/{COURSE_ID}"
    probe = KERNEL_PROBE
    for marker, value in (("@TRAINER@", trainer), ("@OTHER@", other.name), ("@EX@", EX),
                          ("@EXCHANGE@", exchange), ("@ROOM@", str(room.room_dir)),
                          ("@RUNTIME@", str(RUNTIME))):
        probe = probe.replace(marker, value)
    output = me.run_in_kernel(probe)
    results = json.loads(output.strip().splitlines()[-1])
    assert results.pop("keys anywhere readable") == []
    leaks = {label: outcome for label, outcome in results.items() if outcome.startswith("OPENED")}
    assert leaks == {}, f"a learner's kernel read what is not theirs: {leaks}"
    # and the same kernel can read its own hand-in and feedback, so the refusals above are real
    own = me.run_in_kernel(f"import os\nprint(len(open('{EX}/{EX}.ipynb').read()) > 100, "
                           f"len(os.listdir('{EX}/feedback')))")
    assert own.strip() == "True 1"
