"""axe-core, the accessibility checker: fetched from the npm registry when first needed (never
committed), cached, injected into a page and run there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from playwright.sync_api import Page

CACHE = Path(os.environ.get("PWC_AXE_CACHE", Path.home() / ".cache" / "posting-with-care" / "axe"))
PACKAGE = "axe-core@4"
SERIOUS = ("serious", "critical")


class AxeUnavailable(RuntimeError):
    """axe-core could not be fetched (no npm, or no registry)."""


def script(cache: Path = CACHE) -> Path:
    """`axe.min.js`, from the cache or else from `npm pack axe-core@4` (safe to run in parallel)."""
    cached = sorted(cache.glob("axe-core-*/axe.min.js"))
    if cached:
        return cached[-1]
    npm = shutil.which("npm")
    if npm is None:
        raise AxeUnavailable("npm is not installed, so axe-core cannot be fetched")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        try:
            done = subprocess.run(
                [npm, "pack", PACKAGE, "--pack-destination", scratch],
                cwd=scratch,
                capture_output=True,
                text=True,
                timeout=180,
            )
        except subprocess.TimeoutExpired as error:
            raise AxeUnavailable(f"npm pack {PACKAGE} timed out") from error
        tarballs = sorted(Path(scratch).glob("axe-core-*.tgz"))
        if done.returncode != 0 or not tarballs:
            raise AxeUnavailable(f"npm pack {PACKAGE} failed: {done.stderr.strip()[-500:]}")
        with tarfile.open(tarballs[-1]) as tar:
            member = tar.extractfile("package/axe.min.js")
            if member is None:
                raise AxeUnavailable(f"{tarballs[-1].name} has no package/axe.min.js")
            staged = Path(scratch) / "axe.min.js"
            staged.write_bytes(member.read())
        target = cache / tarballs[-1].name.removesuffix(".tgz") / "axe.min.js"
        target.parent.mkdir(exist_ok=True)
        os.replace(staged, target)
    return target


def run(page: Page, context: str) -> dict:
    """Inject axe into `page` and check the elements matching the CSS selector `context`."""
    page.add_script_tag(path=script())
    return page.evaluate(
        "async (context) => await axe.run(context, {resultTypes: ['violations']})", context
    )


def serious_violations(result: dict) -> list[str]:
    """One line per serious or critical violation: rule, impact, help and a few elements."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]
