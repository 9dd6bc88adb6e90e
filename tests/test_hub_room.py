"""A real room on JupyterHub, on loopback: accounts, passwords, the exchange, privacy, the vote.

One hub for the whole test session (the `room` fixture in `tests/conftest.py`, opened with
`python -m hub open` as the trainer would): a trainer, three learners who do the whole exercise
flow, and ten more who only vote. Every call goes through the hub's proxy with that person's own
login, as a browser would; the cohort command runs in the trainer's own account. Needs root (it
makes Unix accounts); the accounts, their homes, the room folder and every process are removed
at the end, and the fixture checks that.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess

import pytest
from hub_room import COURSE_ID, FLOW_LEARNERS, RUNTIME, why_not

from grader.exercise import load_exercise

pytestmark = [pytest.mark.hub, pytest.mark.timeout(1500)]
if why_not():
    pytest.skip(why_not(), allow_module_level=True)

EX = "ex01_classify_posts"


def _answers(notebook: dict, answers: dict[str, str]) -> dict:
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for variable, answer in answers.items():
            source = re.sub(rf'^{variable} = "\?"', f'{variable} = "{answer}"', source,
                            flags=re.MULTILINE)
        cell["source"] = source
    return notebook


def _as_trainer(room, *command: str) -> subprocess.CompletedProcess:
    course = room.course_dir()
    venv_bin = RUNTIME / "venv" / "bin"
    env = [f"HOME=/home/{room.trainer}", f"PATH={venv_bin}:/usr/bin:/bin", "LANG=C.UTF-8",
           f"JUPYTER_CONFIG_PATH={room.room_dir}/etc/trainer"]
    return subprocess.run(["runuser", "-u", room.trainer, "--", "env", "-i", *env, *command],
                          cwd=course, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def flow(room):
    """The whole exercise: release, fetch, answer, submit, collect, cohort grade, feedback."""
    trainer = room.user(room.trainer)
    learners = [room.user(name) for name in room.learners[:FLOW_LEARNERS]]
    for person in (trainer, *learners):
        assert person.login(), f"{person.name} could not sign in with their own password"
        person.make_token()
        person.start_server()
    for person in (trainer, *learners):
        person.wait_server()

    # the trainer releases through formgrader's API
    for step in ("assign", "release"):
        reply = trainer.server("POST", f"formgrader/api/assignment/{EX}/{step}")
        assert reply.status_code == 200 and reply.json()["success"], reply.text

    key = load_exercise(EX)
    right = {item.variable: item.answer for item in key.auto_items}
    half = dict(list(right.items())[: len(right) // 2])
    plans = [right, half, {}]
    listed = {}
    # the first learner answers and hands in with the learner app's own code, in their kernel
    app_submit = learners[0].run_in_kernel(APP_SUBMIT.replace("@EX@", EX).replace(
        "@ANSWERS@", json.dumps(right)))
    for learner, answers in zip(learners, plans, strict=True):
        listed[learner.name] = learner.server("GET", "assignments",
                                              params={"course_id": COURSE_ID}).json()
        if learner is learners[0]:
            continue
        # the others use nbgrader's assignment list and save the notebook, as JupyterLab does
        reply = learner.server("POST", "assignments/fetch",
                               json={"assignment_id": EX, "course_id": COURSE_ID})
        assert reply.status_code == 200, reply.text
        path = f"api/contents/{EX}/{EX}.ipynb"
        model = learner.server("GET", path).json()
        notebook = _answers(model["content"], answers)
        reply = learner.server("PUT", path, json={"type": "notebook", "content": notebook})
        assert reply.status_code == 200, reply.text
        reply = learner.server("POST", "assignments/submit",
                               json={"assignment_id": EX, "course_id": COURSE_ID})
        assert reply.status_code == 200 and "error" not in reply.json(), reply.text

    reply = trainer.server("POST", f"formgrader/api/assignment/{EX}/collect")
    assert reply.status_code == 200 and reply.json()["success"], reply.text

    graded = _as_trainer(room, "python", "-m", "grader", "grade", EX, "submitted",
                         "--out", f"cohort/{EX}", "--course-dir", ".")
    assert graded.returncode == 0, graded.stdout[-3000:] + graded.stderr[-3000:]
    grades_csv = _as_trainer(room, "cat", f"cohort/{EX}/grades.csv").stdout

    for step in ("generate_feedback", "release_feedback"):
        reply = trainer.server("POST", f"formgrader/api/assignment/{EX}/{step}")
        assert reply.status_code == 200 and reply.json()["success"], reply.text

    feedback = {learners[0].name: learners[0].run_in_kernel(APP_FEEDBACK.replace("@EX@", EX))}
    for learner in learners[1:]:
        reply = learner.server("POST", "assignments/fetch_feedback",
                               json={"assignment_id": EX, "course_id": COURSE_ID})
        assert reply.status_code == 200, reply.text
        stamps = learner.server("GET", f"api/contents/{EX}/feedback").json()["content"]
        assert len(stamps) == 1, stamps
        page = learner.server("GET", f"api/contents/{stamps[0]['path']}/{EX}.html",
                              params={"type": "file", "format": "text"})
        assert page.status_code == 200, page.text
        feedback[learner.name] = page.json()["content"]
    return {"trainer": trainer, "learners": learners, "plans": plans, "key": key,
            "grades": list(csv.DictReader(io.StringIO(grades_csv))), "feedback": feedback,
            "listed": listed, "app_submit": app_submit}


APP_SUBMIT = """
import json
from course.app import exercise_copy, settings, submit
assert settings.current().submit == "exchange" and not settings.current().self_marking
path = exercise_copy.ensure_copy("@EX@")
for name, value in json.loads('@ANSWERS@').items():
    exercise_copy.write_answer(path, name, value)
print(submit.exchange_submit("@EX@", path))
"""
APP_FEEDBACK = """
from course.app import exchange
print(exchange.feedback_page("@EX@").read_text(encoding="utf-8"))
"""


def test_a_wrong_password_is_refused(room):
    first, second = room.learners[:2]
    assert not room.user(first).login("not-the-password")
    assert not room.user(first).login(room.passwords[second]), "another person's password"
    assert not room.user("nobody-on-the-roster").login("whatever-password")
    assert not room.user(room.trainer).login(room.passwords[first])
    assert room.user(first).login()


def test_everyone_lands_on_their_home_page(room, flow):
    learner, trainer = flow["learners"][0], flow["trainer"]
    landing = learner.call("GET", f"/user/{learner.name}/").headers["Location"]
    assert landing.startswith(f"/user/{learner.name}/voila/render/course-app/home.ipynb")
    home = learner.call("GET", landing.split("?")[0])
    assert home.status_code == 200 and "Posting with Care" in home.text
    landing = trainer.call("GET", f"/user/{trainer.name}/").headers["Location"]
    assert landing.startswith(f"/user/{trainer.name}/lab/tree/posting-with-care/trainer-home")
    lessons = learner.server("GET", "api/contents/course/lessons").json()["content"]
    assert len([m for m in lessons if m["name"].endswith(".ipynb")]) >= 8


def test_the_whole_exercise_flow_through_the_exchange(room, flow):
    learners, key = flow["learners"], flow["key"]
    assert "latest hand-in counts" in flow["app_submit"], flow["app_submit"]
    for listed in flow["listed"].values():
        assert {a["assignment_id"] for a in listed["value"]} == {EX}
    grades = {row["learner"]: row for row in flow["grades"]}
    assert set(grades) == {learner.name for learner in learners}
    expected = [key.max_score, len(flow["plans"][1]), 0]
    for learner, score in zip(learners, expected, strict=True):
        assert grades[learner.name]["status"] == "graded"
        assert float(grades[learner.name]["score"]) == score
    for learner in learners:
        page = flow["feedback"][learner.name]
        assert "<html" in page.lower()
        others = [other.name for other in learners if other.name != learner.name]
        assert not any(other in page for other in others), "someone else's name in feedback"
    assert flow["feedback"][learners[0].name] != flow["feedback"][learners[2].name]


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
attempt("exchange inbound", lambda: os.listdir("@EXCHANGE@/inbound"))
attempt("exchange feedback", lambda: os.listdir("@EXCHANGE@/feedback"))
attempt("hub state", lambda: os.listdir("@ROOM@/state"))
attempt("passwords", lambda: open("@ROOM@/state/passwords.csv").read())
attempt("trainer settings", lambda: os.listdir("@ROOM@/etc/trainer"))
attempt("grader package", lambda: __import__("grader.items"))
shared = glob.glob("/opt/posting-with-care-test/**/*.yaml", recursive=True)
results["keys anywhere readable"] = [p for p in shared if "/keys/" in p]
print(json.dumps(results))
'''


def test_a_learner_cannot_reach_keys_or_anyone_elses_work(room, flow):
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
                          ("@EXCHANGE@", exchange), ("@ROOM@", str(room.room_dir))):
        probe = probe.replace(marker, value)
    output = me.run_in_kernel(probe)
    results = json.loads(output.strip().splitlines()[-1])
    assert results.pop("keys anywhere readable") == []
    leaks = {label: outcome for label, outcome in results.items() if outcome.startswith("OPENED")}
    assert leaks == {}, f"a learner's kernel read what is not theirs: {leaks}"
    # and the same kernel can read its own work, so the refusals above are real
    own = me.run_in_kernel(f"print(len(open('{EX}/{EX}.ipynb').read()) > 100)")
    assert own.strip() == "True"


def test_a_vote_with_ten_learners(room):
    trainer = room.user(room.trainer)
    assert trainer.login()
    voters = [room.user(name) for name in room.learners[FLOW_LEARNERS:]]
    assert len(voters) >= 10

    # nothing answers without signing in
    anonymous = __import__("requests").get(f"{room.url}/services/vote/api/state",
                                           allow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 403) and "phase" not in anonymous.text
    bridge = __import__("requests").get(f"{room.url}/services/vote/bridge",
                                        allow_redirects=False, timeout=30)
    assert bridge.status_code in (302, 403) and "data-xsrf" not in bridge.text
    anonymous = __import__("requests").post(f"{room.url}/services/vote/api/vote",
                                            json={"choice": "acceptable"},
                                            allow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 403) and "phase" not in anonymous.text

    t_xsrf = trainer.vote_xsrf()
    reply = trainer.vote_api("POST", "open", t_xsrf, json={"post": "p003"})
    assert reply.status_code == 200 and reply.json()["phase"] == "open", reply.text
    assert "verdict" not in reply.json()

    tokens = []
    for voter in voters:
        assert voter.login()
        tokens.append(voter.vote_xsrf())
    seen = voters[0].vote_api("GET", "state", tokens[0]).json()
    assert seen["post"]["id"] == "p003" and seen["choices"] == ["acceptable", "not acceptable"]
    assert "verdict" not in seen and "votes" not in seen and "split" not in seen

    # a learner cannot run the vote
    for action in ("open", "close", "reveal"):
        refused = voters[0].vote_api("POST", action, tokens[0], json={"post": "p004"})
        assert refused.status_code == 403
    # and a vote without the XSRF token is not counted
    forged = voters[0].session.post(f"{room.url}/services/vote/api/vote",
                                    json={"choice": "acceptable"}, allow_redirects=False)
    assert forged.status_code in (302, 403)

    for i, (voter, xsrf) in enumerate(zip(voters, tokens, strict=True)):
        choice = "acceptable" if i < 7 else "not acceptable"
        reply = voter.vote_api("POST", "vote", xsrf, json={"choice": choice})
        assert reply.status_code == 200 and reply.json()["my_vote"] == choice, reply.text
    # two change their minds; one votes twice the same way: still one vote each
    voters[0].vote_api("POST", "vote", tokens[0], json={"choice": "not acceptable"})
    voters[1].vote_api("POST", "vote", tokens[1], json={"choice": "not acceptable"})
    voters[2].vote_api("POST", "vote", tokens[2], json={"choice": "acceptable"})
    count = trainer.vote_api("GET", "state", t_xsrf).json()
    assert count["votes"] == len(voters) and "split" not in count

    trainer.vote_api("POST", "close", t_xsrf)
    late = voters[3].vote_api("POST", "vote", tokens[3], json={"choice": "not acceptable"})
    assert late.status_code == 409

    revealed = trainer.vote_api("POST", "reveal", t_xsrf).json()
    assert revealed["split"] == {"acceptable": 5, "not acceptable": 5}
    assert revealed["verdict"] == "acceptable"
    everything = json.dumps(revealed) + voters[4].vote_api("GET", "state", tokens[4]).text
    assert not any(name in everything for name in room.learners), "a name in the vote"
    # the bridge (the app's pages take their XSRF token from it) carries no name either
    bridge_page = voters[4].session.get(f"{room.url}/services/vote/bridge", timeout=60)
    assert bridge_page.status_code == 200 and 'data-xsrf="' in bridge_page.text
    assert not any(name in bridge_page.text for name in [room.trainer, *room.learners])
    assert trainer.vote_api("POST", "end", t_xsrf).json()["phase"] == "idle"
