"""Standing rules of the repository: clean notebooks, no learner records, the two commands."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tracked(pattern: str) -> list[Path]:
    result = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", pattern],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return [ROOT / line for line in result.stdout.splitlines() if line]


NOTEBOOKS = [p for p in _tracked("*.ipynb") if p.exists()]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_committed_without_outputs_or_widget_state(notebook: Path) -> None:
    data = json.loads(notebook.read_text(encoding="utf-8"))
    for index, cell in enumerate(data["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"cell {index} has outputs"
            assert cell.get("execution_count") is None, f"cell {index} has an execution count"
    assert "widgets" not in data.get("metadata", {}), "saved widget state"


def test_learner_records_are_ignored_by_git() -> None:
    probes = [
        "submitted/alice/ex01/ex01.ipynb",
        "autograded/alice/ex01/ex01.ipynb",
        "feedback/alice/ex01/ex01.html",
        "gradebook.db",
        "course/somewhere/records.db",
        "cohort/feedback/learner.html",
    ]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *probes], cwd=ROOT, capture_output=True, text=True
    )
    assert sorted(result.stdout.split()) == sorted(probes)


def test_no_learner_records_tracked() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    records = [
        path for path in tracked
        if not path.startswith("grader/templates/")
        and any(part in ("submitted", "autograded", "feedback") for part in Path(path).parts)
        or path.endswith(".db")
    ]
    assert records == []


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands[:2] == ["make course", "make test"]


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
