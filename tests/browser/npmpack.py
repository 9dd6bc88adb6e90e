"""One file from an npm package, fetched with `npm pack` when first needed (never committed) and
cached: for test-time JavaScript helpers such as jsQR.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

CACHE = Path(os.environ.get("PWC_NPM_CACHE", Path.home() / ".cache" / "posting-with-care" / "npm"))


class NpmUnavailable(RuntimeError):
    """The package could not be fetched (no npm, or no registry)."""


def package_file(spec: str, member: str, cache: Path = CACHE) -> Path:
    """``member`` (e.g. ``dist/jsQR.js``) of the package ``spec`` (e.g. ``jsqr@1``)."""
    name = spec.rsplit("@", 1)[0]
    cached = sorted(cache.glob(f"{name}-*/{member}"))
    if cached:
        return cached[-1]
    npm = shutil.which("npm")
    if npm is None:
        raise NpmUnavailable(f"npm is not installed, so {spec} cannot be fetched")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        try:
            done = subprocess.run([npm, "pack", spec, "--pack-destination", scratch],
                                  cwd=scratch, capture_output=True, text=True, timeout=180)
        except subprocess.TimeoutExpired as error:
            raise NpmUnavailable(f"npm pack {spec} timed out") from error
        tarballs = sorted(Path(scratch).glob(f"{name}-*.tgz"))
        if done.returncode != 0 or not tarballs:
            raise NpmUnavailable(f"npm pack {spec} failed: {done.stderr.strip()[-500:]}")
        with tarfile.open(tarballs[-1]) as tar:
            found = tar.extractfile(f"package/{member}")
            if found is None:
                raise NpmUnavailable(f"{tarballs[-1].name} has no package/{member}")
            data = found.read()
        target = cache / tarballs[-1].name.removesuffix(".tgz") / member
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(scratch) / "staged"
        staged.write_bytes(data)
        os.replace(staged, target)
    return target
