"""The room's shared runtime (no root, no hub): a venv copied from elsewhere is made to run its
own Python, not the original's (whose packages and course code would silently be used)."""

from __future__ import annotations

from pathlib import Path

from hub import runtime


def test_a_copied_venv_runs_its_own_python(tmp_path: Path) -> None:
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    scripts = {
        "jupyterhub-singleuser": "#!/opt/the-original/venv/bin/python\nimport sys\n",
        "already-own": f"#!{bin_dir / 'python'}\nprint(2)\n",
        "activate.sh": "#!/bin/sh\necho hello\n",
    }
    for name, text in scripts.items():
        (bin_dir / name).write_text(text, encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    (bin_dir / "python").symlink_to("/usr/bin/python3")
    said: list[str] = []
    runtime._own_scripts(tmp_path / "venv", said.append)
    assert (bin_dir / "jupyterhub-singleuser").read_text(encoding="utf-8") == (
        f"#!{bin_dir / 'python'}\nimport sys\n")
    assert (bin_dir / "jupyterhub-singleuser").stat().st_mode & 0o777 == 0o755
    for name in ("already-own", "activate.sh"):
        assert (bin_dir / name).read_text(encoding="utf-8") == scripts[name]
    assert (bin_dir / "python").is_symlink()
    assert len(said) == 1 and "1 scripts" in said[0]
