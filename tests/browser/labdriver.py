"""Drive JupyterLab 4 in Playwright the way a learner would: open a notebook, wait for the
kernel, run all cells, and find what the cells showed.
"""

from __future__ import annotations

import itertools
import re
import time

from labserver import LabServer
from playwright.sync_api import Locator, Page, expect

# The status bar reads e.g. "Python 3 (ipykernel) | Idle" once a real kernel is up; the
# execution indicator says "idle" a second earlier, before any kernel exists.
KERNEL_IDLE = re.compile(r"\|\s*Idle\s*$")
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
_workspaces = itertools.count(1)

# Hidden code cells show no execution count, so "all cells ran" is read from the notebook's
# execution indicator: busy while any scheduled cell remains, idle once the last has run.
_WATCH_BUSY = """
(selector) => {
  window.__pwcSawBusy = false;
  const check = () => {
    if (document.querySelector(selector + ' .jp-Notebook-ExecutionIndicator[data-status=busy]'))
      window.__pwcSawBusy = true;
  };
  if (window.__pwcObserver) window.__pwcObserver.disconnect();
  window.__pwcObserver = new MutationObserver(check);
  window.__pwcObserver.observe(document.body, {subtree: true, childList: true, attributes: true});
}
"""
_RUN_FINISHED = """
(selector) => {
  const indicator = document.querySelector(selector + ' .jp-Notebook-ExecutionIndicator');
  return window.__pwcSawBusy && indicator !== null && indicator.dataset.status === 'idle';
}
"""


def open_notebook(page: Page, server: LabServer, path: str, timeout: float = 90_000) -> Locator:
    """Open `path` (relative to the server root) in a fresh workspace, so no tab of an earlier
    test reopens, and wait for its kernel to be idle."""
    workspace = f"pwc-{next(_workspaces)}"
    page.goto(server.url(f"lab/workspaces/{workspace}/tree/{path}"))
    notebook = page.locator(NOTEBOOK)
    expect(notebook).to_have_count(1, timeout=timeout)
    wait_for_kernel_idle(page, timeout)
    return notebook


def wait_for_kernel_idle(page: Page, timeout: float = 60_000) -> None:
    status = page.locator(".jp-StatusBar-TextItem").filter(has_text=KERNEL_IDLE)
    expect(status).to_have_count(1, timeout=timeout)


def run_all(page: Page, timeout: float = 60_000) -> float:
    """Run > Run All Cells, wait until every code cell has run and the kernel is idle, and
    return how many seconds that took."""
    page.evaluate(_WATCH_BUSY, NOTEBOOK)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    started = time.monotonic()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(_RUN_FINISHED, arg=NOTEBOOK, timeout=timeout)
    wait_for_kernel_idle(page, timeout)
    return time.monotonic() - started


def open_and_run(page: Page, server: LabServer, path: str) -> float:
    """Open a notebook, run all its cells, check that none of them failed, and return how many
    seconds Run All took."""
    open_notebook(page, server, path)
    seconds = run_all(page)
    errors = error_outputs(page)
    assert not errors, f"{path} showed errors:\n" + "\n---\n".join(errors)
    return seconds


def scroll_to_top(page: Page) -> None:
    """Show the start of the notebook (Run All leaves it scrolled to the last cell), once the
    browser has drawn it, with the mouse out of the way."""
    first = page.locator(f"{NOTEBOOK} .jp-Cell").first
    first.scroll_into_view_if_needed()
    expect(first).to_be_in_viewport()
    page.mouse.move(0, page.viewport_size["height"] - 1 if page.viewport_size else 0)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def error_outputs(page: Page) -> list[str]:
    """Text of every error or stderr output in the open notebook, and of any widget that failed
    to render (there should be none)."""
    errors = page.locator(
        f"{NOTEBOOK} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
        f" {NOTEBOOK} .jupyter-widgets-error-widget,"
        f" {NOTEBOOK} .jp-OutputArea-output:has-text('Error displaying widget')"
    )
    return [text for text in errors.all_inner_texts() if text.strip()]
