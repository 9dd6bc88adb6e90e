"""The lab launcher's pieces: the course settings folder and the lesson pre-save hook,
run with jupyter_server's real contents manager."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from jupyter_server.services.contents.filemanager import FileContentsManager
from traitlets.config import Config

from course.app import lab

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    for folder in ("course/lessons", "exercises/ex01_classify_posts"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path


def _manager(root: Path) -> FileContentsManager:
    config = Config()
    config.FileContentsManager.pre_save_hook = "course.app.lab.keep_lessons_unchanged"
    return FileContentsManager(root_dir=str(root), config=config)


def _with_outputs(model: dict) -> dict:
    notebook = nbformat.from_dict(model["content"])
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", text="a learner's session\n")]
            cell.execution_count = 3
    notebook.metadata["widgets"] = {"state": "saved widget state"}
    return {"type": "notebook", "format": "json", "content": notebook}


def test_saving_a_lesson_keeps_it_exactly_as_it_was(course_copy: Path) -> None:
    path = "course/lessons/03-never-disclose.ipynb"
    before = (course_copy / path).read_text(encoding="utf-8")
    manager = _manager(course_copy)
    manager.save(_with_outputs(manager.get(path)), path)
    after = json.loads((course_copy / path).read_text(encoding="utf-8"))
    assert after == json.loads(before)
    assert all(not cell.get("outputs") for cell in after["cells"] if cell["cell_type"] == "code")


def test_saving_an_exercise_keeps_the_learners_answers(course_copy: Path) -> None:
    path = "exercises/ex01_classify_posts/ex01_classify_posts.ipynb"
    manager = _manager(course_copy)
    model = manager.get(path)
    answer = next(c for c in model["content"].cells if c.source.startswith("post_01 = "))
    answer.source = 'post_01 = "not acceptable"'
    manager.save({"type": "notebook", "format": "json", "content": model["content"]}, path)
    saved = (course_copy / path).read_text(encoding="utf-8")
    assert 'post_01 = \\"not acceptable\\"' in saved


def test_course_settings_folder(tmp_path: Path) -> None:
    config_dir = lab.prepare_config_dir(tmp_path / "jupyter")
    css = (config_dir / "custom" / "custom.css").read_text(encoding="utf-8")
    assert ".jp-InputPlaceholder" in css
    notification = next(config_dir.rglob("notification.jupyterlab-settings"))
    assert json.loads(notification.read_text(encoding="utf-8"))["fetchNews"] == "false"


def test_lab_command_opens_the_welcome_lesson_last() -> None:
    command = lab.lab_command(["--no-browser"])
    assert command[-1] == "course/lessons/01-welcome.ipynb"
    assert "--no-browser" in command and "--LabApp.custom_css=True" in command
