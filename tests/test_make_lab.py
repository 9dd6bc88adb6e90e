"""Smoke test of `make lab`: it serves the project in JupyterLab, opens on the welcome lesson,
and nbgrader's server and lab extensions are working.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import labserver
from jupyter_core.paths import jupyter_path

REPO = Path(__file__).resolve().parents[1]
WELCOME = "course/lessons/01-welcome.ipynb"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@pytest.fixture(scope="module")
def make_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[labserver.LabServer]:
    """`make lab` with LAB_ARGS for headless use, its Jupyter state kept in a temporary folder.

    `-o .venv/.installed` keeps make from reinstalling the venv this test already runs in
    (`make test` builds it first); the recipe that opens JupyterLab runs as a learner's would.
    """
    home = tmp_path_factory.mktemp("make-lab")
    port, token = labserver.free_port(), secrets.token_hex(16)
    lab_args = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
        f"--ServerApp.port_retries=0 --IdentityProvider.token={token}"
    )
    env = labserver.isolated_env(home)
    env["POSTING_WITH_CARE_HOME"] = str(home / "pwc")  # the course's own settings folder
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # when run from `make test`
        env.pop(name, None)
    server = labserver.start(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "lab", f"LAB_ARGS={lab_args}"],
        port=port,
        token=token,
        root=REPO,
        env=env,
        log=home / "make-lab.log",
    )
    yield server
    labserver.stop(server)


def test_make_lab_opens_the_welcome_lesson(make_lab: labserver.LabServer) -> None:
    # What the learner's browser is sent to: the server writes it to its runtime folder.
    runtime = make_lab.log.parent / "runtime"
    open_files = list(runtime.glob("jpserver-file-to-run-*-open.html"))
    assert len(open_files) == 1, f"no file-to-run page in {runtime}:\n{make_lab.log_tail()}"
    page = html.unescape(open_files[0].read_text(encoding="utf-8"))
    match = re.search(r'href="(http[^"]+)"', page)
    assert match, page
    assert f"/lab/tree/{WELCOME}?token={make_lab.token}" in match.group(1)

    status, body = make_lab.get(f"lab/tree/{WELCOME}")
    assert status == 200
    status, body = make_lab.get(f"api/contents/{WELCOME}?content=0")
    assert status == 200
    assert json.loads(body)["type"] == "notebook"


def test_nbgrader_server_extensions_answer(make_lab: labserver.LabServer) -> None:
    status, body = make_lab.get("formgrader/api/status")
    assert status == 200, body
    assert json.loads(body) == {"status": True}
    # The formgrader page renders: the course folder sits inside the server's root.
    status, body = make_lab.get("formgrader/manage_assignments")
    assert status == 200, body[:2000]
    assert "<title>nbgrader formgrade</title>" in body
    # The labextension asks this on load and warns the user when the versions differ.
    status, body = make_lab.get(f"nbgrader_version?version={nbgrader_labextension_version()}")
    assert (status, json.loads(body)) == (200, {"success": True}), body


def nbgrader_labextension_version() -> str:
    for folder in jupyter_path("labextensions"):
        package = Path(folder) / "@jupyter" / "nbgrader" / "package.json"
        if package.exists():
            return json.loads(package.read_text(encoding="utf-8"))["version"]
    raise AssertionError("the @jupyter/nbgrader labextension is not installed")


def test_lab_page_loads_the_nbgrader_labextension(make_lab: labserver.LabServer) -> None:
    status, body = make_lab.get("lab")
    assert status == 200
    config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                       body, re.S)
    assert config, body[:2000]
    extensions = {ext["name"] for ext in json.loads(config.group(1))["federated_extensions"]}
    assert "@jupyter/nbgrader" in extensions
    assert "@jupyter-widgets/jupyterlab-manager" in extensions


def test_lab_serves_the_course_style_sheet(make_lab: labserver.LabServer) -> None:
    """The course's custom.css (hiding the one-line code cells) reaches the browser."""
    status, body = make_lab.get("lab")
    assert status == 200 and "custom/custom.css" in body
    status, css = make_lab.get("custom/custom.css")
    assert status == 200
    assert ".jp-InputPlaceholder" in css and "display: none" in css
