"""The learner app's Submit and feedback through nbgrader's real exchange (no hub needed).

A temporary home, exchange and course settings, as the hub gives every learner's server; the
real `nbgrader` commands run underneath (the hub tests do the same for real accounts).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.app import exchange, submit

EX = "ex01_classify_posts"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def learner(tmp_path, monkeypatch):
    home, config, root = tmp_path / "home", tmp_path / "etc", tmp_path / "exchange"
    for folder in (home, config, root):
        folder.mkdir()
    root.chmod(0o1777)
    (config / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(root)!r}\n"
        "c.CourseDirectory.course_id = 'posting-with-care'\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(config))
    return home, root


def _copy(tmp_path: Path) -> Path:
    answered = tmp_path / "answered.ipynb"
    shutil.copyfile(REPO / "exercises" / EX / f"{EX}.ipynb", answered)
    return answered


def test_submit_before_release_says_so_and_hands_in_nothing(learner, tmp_path):
    home, root = learner
    assert exchange.is_released(EX) is False
    with pytest.raises(submit.SubmitNotAvailable, match="has not opened this exercise"):
        submit.exchange_submit(EX, _copy(tmp_path))
    assert not list(root.rglob("*.ipynb"))


def test_without_exchange_settings_nobody_says_whether_it_is_released(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(tmp_path / "nothing-here"))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "nothing-here-either"))
    monkeypatch.setattr("jupyter_core.paths.SYSTEM_CONFIG_PATH", [])
    monkeypatch.setattr("jupyter_core.paths.ENV_CONFIG_PATH", [])
    assert exchange.is_released(EX) is None


def test_submit_hands_in_the_apps_copy_and_feedback_is_found(learner, tmp_path):
    home, root = learner
    outbound = root / "posting-with-care" / "outbound" / EX
    shutil.copytree(REPO / "exercises" / EX, outbound)  # as release_assignment lays it out
    assert exchange.is_released(EX) is True
    inbound = root / "posting-with-care" / "inbound"
    inbound.mkdir()
    inbound.chmod(0o733)
    copy = _copy(tmp_path)
    copy.write_text(copy.read_text(encoding="utf-8").replace(
        'post_01 = \\"?\\"', 'post_01 = \\"not acceptable\\"'), encoding="utf-8")

    message = submit.exchange_submit(EX, copy)
    assert "latest hand-in counts" in message
    handed = list(inbound.glob(f"*+{EX}+*/{EX}.ipynb"))
    assert len(handed) == 1
    assert 'post_01 = \\"not acceptable\\"' in handed[0].read_text(encoding="utf-8")
    assert exchange.feedback_page(EX) is None  # nothing released yet

    page = home / EX / "feedback" / "2026-12-01 10:00:00.000000 UTC" / f"{EX}.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><h4>ex01_classify_posts (Score: 13.0 / 26.0)</h4>"
                    "<li>Test cell (Score: 1.0 / 1.0)</li></html>", encoding="utf-8")
    assert exchange.feedback_page(EX) == page
    assert exchange.fetched_feedback(EX) == page
    assert exchange.feedback_score(page) == (13.0, 26.0)
    page.write_text("<h4>Exercise 1: Acceptable or not?\n  (score 24 of 26)</h4>",
                    encoding="utf-8")
    assert exchange.feedback_score(page) == (24.0, 26.0)
    page.write_text("<html>no score here</html>", encoding="utf-8")
    assert exchange.feedback_score(page) is None
