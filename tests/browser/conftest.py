"""Fixtures for the real-browser tests: Debian's Chromium, one JupyterLab server per session
serving a private copy of the course, a page per test module, and a screenshots folder.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import labserver
import pytest
from artifacts import REPO, SCREENSHOTS
from playwright.sync_api import Browser, Page

# Debian's Chromium (`make system-deps`); PWC_CHROMIUM names another build.
CHROMIUM = Path(
    os.environ.get("PWC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
# Folders of the project the server gets a copy of (those that exist).
SERVED = ("course", "exercises")
COPY_IGNORE = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium (never a downloaded one); skip when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: run `make system-deps` to install it")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 1200}, "locale": "en-GB"}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where screenshots go: `test-artifacts/screenshots/` (gitignored). Look at them."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[labserver.LabServer]:
    """JupyterLab on a free port, serving a copy of the course in a temporary folder."""
    home = tmp_path_factory.mktemp("lab")
    root = home / "project"
    root.mkdir()
    for name in SERVED:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name, ignore=COPY_IGNORE)
    port, token = labserver.free_port(), secrets.token_hex(16)
    env = labserver.isolated_env(home)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    # The learner's private folder (reflections, CPD progress and record): `home / "private"`.
    env["POSTING_WITH_CARE_HOME"] = str(home / "private")
    server = labserver.start(
        labserver.jupyterlab_command(sys.executable, root, port, token),
        port=port,
        token=token,
        root=root,
        env=env,
        log=home / "jupyterlab.log",
    )
    yield server
    labserver.stop(server)


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request: pytest.FixtureRequest, screenshots: Path) -> Iterator[None]:
    """When a test that used the shared page fails, keep a picture of what the page showed."""
    yield
    if request.node.stash.get(_FAILED, False) and "module_page" in request.fixturenames:
        page = request.getfixturevalue("module_page")
        name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
        page.screenshot(path=screenshots / "failures" / f"{name}.png")


@pytest.fixture(scope="module")
def module_page(
    browser: Browser, browser_context_args: dict, lab_server: labserver.LabServer
) -> Iterator[Page]:
    """One browser page shared by the tests of a module (a lesson is opened and run once);
    its kernels are shut down afterwards."""
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()
    lab_server.shut_down_kernels()


# --- the learner app (Voilà) ----------------------------------------------------------------
APP_PAGE_READY = ".pwc-app-footer, .pwc-home"
# Code, cell numbers and notebook instructions never show in the app's pages.
NO_CODE = (r"\b(show|page)\.\w+\(", r"\bfrom course\b", r"(?m)^\s*import ", r"In \[\d*\]",
           "Run ▸", r"Shift \+ Enter", r'= "\?"', r"\bdef \w+\(")


class AppHolder:
    """The module's running app; a test may restart it (same learner folder)."""

    def __init__(self, home: Path) -> None:
        import appserver

        self.home = home
        self.learner_home = home / "learner"
        self.token = secrets.token_hex(16)
        self.server = appserver.start(home, self.learner_home, token=self.token)

    def restart(self) -> None:
        import appserver

        appserver.stop(self.server)
        self.server = appserver.start(self.home, self.learner_home, token=self.token)

    def stop(self) -> None:
        import appserver

        appserver.stop(self.server)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppHolder]:
    """The learner app on a free port for this module, with its own learner folder."""
    holder = AppHolder(tmp_path_factory.mktemp("app"))
    yield holder
    holder.stop()


def open_app_page(page: Page, holder: AppHolder, name: str) -> None:
    """Open an app page and wait until its last part (footer, or the home page) is drawn."""
    page.goto(holder.server.page_url(name))
    page.locator(APP_PAGE_READY).first.wait_for(timeout=90_000)


def code_text_in(page: Page) -> list[str]:
    text = page.locator("body").inner_text()
    return [marker for marker in NO_CODE if re.search(marker, text)]
