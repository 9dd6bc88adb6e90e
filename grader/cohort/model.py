"""The records that flow through a cohort run: what was found, and what grading made of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass
class Candidate:
    """One learner's submission as found in the download, before reading it."""

    learner_id: str
    name: str | None
    layout: str
    files: list[Path]
    folder_label: str
    submitted_at: datetime | None = None
    time_source: str = ""
    lms_id: str | None = None
    lms_late: bool = False
    problem: str | None = None
    notes: list[str] = field(default_factory=list)
    order: int = 0


@dataclass
class Rejected:
    """A file in the download that could not be tied to a learner, or was refused."""

    source: str
    name: str
    reason: str


@dataclass
class ItemResult:
    """One item of one learner: what was read, and how it scored."""

    item_id: str
    raw: str | None
    value: str | None
    status: str
    correct: bool
    points: float
    max_points: float
    manual: bool = False
    message: str = ""


@dataclass
class LearnerResult:
    """The outcome for one learner; ``problem`` set means the learner could not be graded."""

    learner_id: str
    items: list[ItemResult] = field(default_factory=list)
    score: float | None = None
    max_score: float = 0.0
    problem: str | None = None
    notes: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
