"""Synthetic cohorts built from the real released exercise notebooks (for benchmarks and tests).

Each learner is the release notebook with every ``NAME = "?"`` answer line filled in. Who gets
what right follows a simple, seeded ability model, so a cohort has a realistic spread of scores
and the expected score of every learner is known exactly.
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Learner:
    """One synthetic learner: id, answers by variable, and the score the key gives them."""

    learner_id: str
    answers: dict[str, str]
    expected: float


def release_cells(release: Path) -> dict:
    """The release notebook as JSON data."""
    return json.loads(release.read_text(encoding="utf-8"))


def fill(notebook: dict, answers: dict[str, str]) -> dict:
    """A copy of ``notebook`` with each ``NAME = "?"`` line answered from ``answers``."""
    data = json.loads(json.dumps(notebook))
    for cell in data["cells"]:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for name, value in answers.items():
            escaped = json.dumps(value, ensure_ascii=False)
            source = re.sub(rf'^(\s*{re.escape(name)}\s*=\s*)"\?"', lambda m, e=escaped:
                            m[1] + e, source, flags=re.M)
        cell["source"] = source
    return data


def make_learners(exercise, count: int, seed: int = 4) -> list[Learner]:
    """``count`` learners with abilities spread around the middle; items of varying difficulty."""
    rng = random.Random(seed)
    auto = [i for i in exercise.auto_items if i.answer is not None]
    difficulty = {i.id: rng.uniform(-1.5, 1.5) for i in auto}
    learners = []
    for number in range(1, count + 1):
        ability = rng.gauss(0.6, 1.0)
        answers, expected = {}, 0.0
        for item in auto:
            p = 1 / (1 + math.exp(-(ability - difficulty[item.id])))
            roll = rng.random()
            if roll < 0.03:
                continue  # left as "?": unanswered
            if rng.random() < p:
                answers[item.variable] = item.answer
                expected += item.points
            else:
                wrong = [a for a in item.allowed if a != item.answer] or ["unsure"]
                answers[item.variable] = rng.choice(sorted(wrong))
        learners.append(Learner(f"learner{number:04d}", answers, expected))
    return learners


def write_nbgrader(folder: Path, exercise, learners: list[Learner],
                   when: datetime = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)) -> Path:
    """``folder/submitted/<learner>/<assignment>/<notebook>`` + ``timestamp.txt``."""
    base = release_cells(exercise.release_path)
    for learner in learners:
        target = folder / "submitted" / learner.learner_id / exercise.id
        target.mkdir(parents=True, exist_ok=True)
        (target / exercise.notebook_name).write_text(
            json.dumps(fill(base, learner.answers), indent=1, ensure_ascii=False),
            encoding="utf-8")
        (target / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"),
                                              encoding="utf-8")
    return folder / "submitted"
