"""Find every learner's submission in a download, whatever its layout.

Layouts (``detect_layout``):
- ``nbgrader``: ``submitted/<learner>/<assignment>/*.ipynb`` (+ ``timestamp.txt``);
- ``moodle``: "Download all submissions": ``Full Name_ID_assignsubmission_file_/…`` folders (or
  the same prefix on each file when Moodle was told not to use folders); the id is the
  participant number Moodle uses in its grading worksheet;
- ``canvas``: flat ``name_[LATE_]userid_attachmentid_file.ipynb``;
- ``flat``: one file per learner, the learner id taken from the file name.

Which notebook counts when a learner folder holds several: the one named exactly like the
assignment's notebook; if none is, the learner is a ``problem`` (we never guess). The same
learner found twice (two folders, two sources, or ``name (1).ipynb``): the latest submission
counts, by submission time, else by the order the sources were given.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

from .ids import tidy
from .model import Candidate, Rejected
from .zipsafe import DEFAULT_LIMITS, Unpacked, ZipLimits, ZipRefused, unpack

LAYOUTS = ("nbgrader", "moodle", "canvas", "flat")
MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)_(?P<rest>.*)$",
    re.S)
CANVAS = re.compile(r"^(?P<name>.+?)(?P<late>_LATE)?_(?P<uid>\d+)_(?P<att>\d+)_(?P<file>.+)$", re.S)
_COPY_SUFFIX = re.compile(r"^(?P<stem>.*?)(?: \(\d+\)|-\d+)$")
JUNK = {"__MACOSX", "Thumbs.db", "desktop.ini", ".DS_Store", ".ipynb_checkpoints"}


class IntakeError(Exception):
    """The submissions cannot be read at all; the message says why in plain words."""


@dataclass
class Intake:
    """Everything found: one candidate per learner, what was superseded, what was refused."""

    candidates: list[Candidate] = field(default_factory=list)
    superseded: list[tuple[Candidate, Candidate]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)


@dataclass
class _Source:
    label: str
    root: Path
    zip_times: dict[Path, datetime]
    zone: ZoneInfo
    show_names: bool


def junk(path: Path) -> bool:
    """Files and folders that are never submissions (OS litter, checkpoints, hidden files)."""
    return path.name in JUNK or path.name.startswith(".")


def gather(sources: list[Path], assignment_id: str, notebook_name: str, workdir: Path,
           zone: ZoneInfo, show_names: bool = True, layout: str | None = None,
           limits: ZipLimits = DEFAULT_LIMITS) -> Intake:
    """Collect one candidate per learner from all ``sources`` (folders or zips)."""
    intake = Intake()
    found: list[Candidate] = []
    for number, path in enumerate(sources, start=1):
        try:
            source = _open(path, workdir / f"source-{number}", zone, show_names, intake, limits,
                       assignment_id)
        except ZipRefused as error:
            if len(sources) == 1:
                raise
            intake.rejected.append(Rejected(path.name, path.name, f"the whole zip was refused: "
                                                                  f"{error}"))
            continue
        kind = layout or detect_layout(source.root, assignment_id)
        intake.layouts.append(kind)
        collect = {"nbgrader": _nbgrader, "moodle": _moodle, "canvas": _canvas,
                   "flat": _flat}[kind]
        batch = collect(source, assignment_id, intake)
        for candidate in batch:
            _choose_notebook(candidate, notebook_name, show_names)
            candidate.order = len(found)
            found.append(candidate)
    _deduplicate(found, intake, show_names)
    intake.candidates.sort(key=lambda c: c.learner_id)
    return intake


def _open(path: Path, dest: Path, zone: ZoneInfo, show_names: bool, intake: Intake,
          limits: ZipLimits, assignment_id: str) -> _Source:
    label = path.name
    if not path.exists():
        raise IntakeError(f"There is nothing at {path}. Check the path and try again.")
    if path.is_file() and zipfile.is_zipfile(path):
        unpacked: Unpacked = unpack(path, dest, limits)
        for member in unpacked.rejected:
            intake.rejected.append(Rejected(label, member.name, member.reason))
        root = unpacked.root
        children = [c for c in root.iterdir() if not junk(c)]
        while len(children) == 1 and children[0].is_dir() and not MOODLE.match(children[0].name):
            if (children[0] / assignment_id).is_dir():
                break  # a lone learner's folder, not a wrapper
            root = children[0]
            if root.name == "submitted" or (root / "submitted").is_dir():
                break
            children = [c for c in root.iterdir() if not junk(c)]
        return _Source(label, root, unpacked.times, zone, show_names)
    if path.is_file():
        if path.suffix.lower() == ".zip":
            raise IntakeError(f"{path.name} ends in .zip but is not a readable zip file. "
                              "Download it again from the LMS.")
        raise IntakeError(f"{path.name} is a single file. Give the folder or the zip that holds "
                          "everyone's submissions.")
    return _Source(label, path, {}, zone, show_names)


def detect_layout(root: Path, assignment_id: str) -> str:
    """Which of the four layouts ``root`` looks like."""
    if (root / "submitted").is_dir():
        return "nbgrader"
    children = [c for c in sorted(root.iterdir()) if not junk(c)]
    if any(MOODLE.match(c.name) for c in children):
        return "moodle"
    files = [c for c in children if c.is_file()]
    if files and sum(bool(CANVAS.match(f.name)) for f in files) * 2 >= len(files):
        return "canvas"
    if any(c.is_dir() for c in children):
        return "nbgrader"
    if files:
        return "flat"
    raise IntakeError("No submissions were found there: the folder is empty.")


def _file_time(path: Path, source: _Source) -> tuple[datetime, str]:
    if path in source.zip_times:
        return source.zip_times[path].replace(tzinfo=source.zone).astimezone(UTC), \
            "time of the file in the zip"
    return datetime.fromtimestamp(path.stat().st_mtime, UTC), "file modification time"


def _latest_time(files: list[Path], source: _Source) -> tuple[datetime | None, str]:
    times = [_file_time(f, source) for f in files]
    return max(times) if times else (None, "")


def _files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(junk(Path(part)) for part in p.relative_to(folder).parts))


def _nbgrader(source: _Source, assignment_id: str, intake: Intake) -> list[Candidate]:
    root = source.root / "submitted" if (source.root / "submitted").is_dir() else source.root
    out = []
    for learner in sorted(p for p in root.iterdir() if not junk(p)):
        if not learner.is_dir():
            intake.rejected.append(Rejected(source.label, learner.name, (
                "a file directly in the submitted folder belongs to no learner, so it was "
                "not graded")))
            continue
        candidate = Candidate(learner_id=tidy(learner.name), name=None, layout="nbgrader",
                              files=[], folder_label=learner.name)
        folder = learner / assignment_id
        if folder.is_dir():
            candidate.files = [p for p in _files_in(folder) if p.name != "timestamp.txt"]
            stamp = folder / "timestamp.txt"
            if stamp.is_file():
                candidate.submitted_at, problem = _read_timestamp(stamp)
                candidate.time_source = "timestamp.txt"
                if problem:
                    candidate.notes.append(problem)
        else:
            others = sorted(p.name for p in learner.iterdir() if p.is_dir() and not junk(p))
            loose = [p for p in learner.iterdir() if p.is_file() and not junk(p)]
            if loose:
                candidate.files = sorted(loose)
                candidate.submitted_at, candidate.time_source = _latest_time(loose, source)
            elif others:
                shown = ", ".join(others) if source.show_names else f"{len(others)} other folder(s)"
                candidate.problem = (
                    f"There is no {assignment_id} folder for this learner, only: {shown}. "
                    "They may have submitted a different exercise.")
            else:
                candidate.problem = "The learner's folder is empty: nothing was submitted."
        out.append(candidate)
    return out


def _read_timestamp(path: Path) -> tuple[datetime | None, str | None]:
    text = path.read_bytes()[:200].decode("utf-8", "replace").strip()
    try:
        moment = dateparser.parse(text)
    except (ValueError, OverflowError):
        return None, "Its timestamp.txt could not be read, so the submission time is unknown."
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # nbgrader writes UTC unless told otherwise
    return moment.astimezone(UTC), None


def _moodle(source: _Source, assignment_id: str, intake: Intake) -> list[Candidate]:
    groups: dict[str, Candidate] = {}
    for child in sorted(p for p in source.root.iterdir() if not junk(p)):
        match = MOODLE.match(child.name)
        if not match:
            intake.rejected.append(Rejected(source.label, child.name, (
                "it is not named like a Moodle submission (Full Name_ID_assignsubmission_…), "
                "so it belongs to no learner")))
            continue
        learner_id = match["id"]
        candidate = groups.setdefault(learner_id, Candidate(
            learner_id=learner_id, name=tidy(match["name"]), layout="moodle", files=[],
            folder_label=child.name, lms_id=learner_id))
        if match["plugin"] != "file":
            continue  # online text, comments: not part of a notebook submission
        candidate.files.extend(_files_in(child) if child.is_dir() else [child])
    out = list(groups.values())
    for candidate in out:
        if candidate.files:
            candidate.submitted_at, candidate.time_source = _latest_time(candidate.files, source)
        else:
            candidate.problem = "Moodle holds no file for this learner: nothing was submitted."
    _attach_rejected(out, intake, source, lambda name: _moodle_id(name))
    return out


def _moodle_id(member: str) -> str | None:
    for part in member.replace("\\", "/").split("/"):
        match = MOODLE.match(part)
        if match:
            return match["id"]
    return None


def _canvas(source: _Source, assignment_id: str, intake: Intake) -> list[Candidate]:
    groups: dict[str, Candidate] = {}
    for child in sorted(p for p in source.root.iterdir() if not junk(p)):
        match = CANVAS.match(child.name)
        if not match or child.is_dir():
            intake.rejected.append(Rejected(source.label, child.name, (
                "it is not named like a Canvas submission (name_userid_fileid_file), so it "
                "belongs to no learner")))
            continue
        uid = match["uid"]
        candidate = groups.setdefault(uid, Candidate(
            learner_id=uid, name=tidy(match["name"]), layout="canvas", files=[],
            folder_label=child.name, lms_id=uid))
        candidate.files.append(child)
        candidate.lms_late = candidate.lms_late or bool(match["late"])
    out = list(groups.values())
    for candidate in out:
        candidate.submitted_at, candidate.time_source = _latest_time(candidate.files, source)
        if candidate.lms_late:
            candidate.notes.append("Canvas marked this submission as late.")
    _attach_rejected(out, intake, source, _canvas_id)
    return out


def _canvas_id(member: str) -> str | None:
    match = CANVAS.match(member.replace("\\", "/").rsplit("/", 1)[-1])
    return match["uid"] if match else None


def _flat(source: _Source, assignment_id: str, intake: Intake) -> list[Candidate]:
    out = []
    for child in sorted(p for p in source.root.iterdir() if not junk(p)):
        if child.is_dir():
            intake.rejected.append(Rejected(source.label, child.name, (
                "a folder among single-file submissions belongs to no learner, so it was not "
                "graded")))
            continue
        learner_id = flat_learner_id(child.name, assignment_id)
        when, how = _file_time(child, source)
        out.append(Candidate(learner_id=learner_id, name=None, layout="flat", files=[child],
                             folder_label=child.name, submitted_at=when, time_source=how))
    return out


def flat_learner_id(file_name: str, assignment_id: str) -> str:
    """``Jo Bloggs - ex01_classify_posts (1).ipynb`` → ``Jo Bloggs``."""
    stem = tidy(file_name.rsplit(".", 1)[0] if "." in file_name[1:] else file_name)
    copy = re.match(r"^(.*?) \(\d+\)$", stem)
    if copy:
        stem = copy[1]
    trimmed = re.sub(re.escape(assignment_id), " ", stem, flags=re.I)
    trimmed = trimmed.strip(" _-.")
    trimmed = re.sub(r"[\s_-]{2,}", lambda m: m[0].strip() or " ", trimmed)
    return tidy(trimmed) or stem


def _attach_rejected(candidates: list[Candidate], intake: Intake, source: _Source,
                     learner_of) -> None:
    by_id = {c.learner_id: c for c in candidates}
    keep = []
    for item in intake.rejected:
        learner_id = learner_of(item.name) if item.source == source.label else None
        if learner_id is None:
            keep.append(item)
            continue
        what = f"The file {item.name!r}" if source.show_names else "A file"
        message = f"{what} in this learner's submission was refused: {item.reason}."
        candidate = by_id.get(learner_id)
        if candidate is None:
            candidate = Candidate(learner_id=learner_id, name=None, layout=candidates[0].layout
                                  if candidates else "zip", files=[], folder_label=item.name,
                                  lms_id=learner_id, problem=message)
            candidates.append(candidate)
            by_id[learner_id] = candidate
        elif candidate.files:
            candidate.notes.append(message)
        else:
            candidate.problem = message
    intake.rejected[:] = keep


def expected_stem(name: str) -> str:
    """``ex01 (1).ipynb`` and ``ex01-2.ipynb`` → ``ex01`` (download copies, resubmissions)."""
    stem = name.rsplit(".", 1)[0]
    match = _COPY_SUFFIX.match(stem)
    return match["stem"] if match else stem


def _choose_notebook(candidate: Candidate, notebook_name: str, show_names: bool) -> None:
    if candidate.problem or not candidate.files:
        if not candidate.problem:
            candidate.problem = "No file was found for this learner: nothing was submitted."
        return
    notebooks = [f for f in candidate.files if f.suffix.lower() == ".ipynb"]
    if len(notebooks) <= 1:
        chosen = notebooks or candidate.files
        if len(chosen) > 1:
            listed = ", ".join(repr(f.name) for f in chosen) if show_names else \
                f"{len(chosen)} files"
            candidate.problem = (f"No notebook (.ipynb) was found, only other files: {listed}. "
                                 "Ask the learner to submit their exercise notebook.")
            return
        extra = [f for f in candidate.files if f not in chosen]
        if extra:
            candidate.notes.append(_also_found(extra, show_names))
        candidate.files = chosen
        given = original_name(candidate.layout, chosen[0].name)
        if candidate.layout != "flat" and given != notebook_name:
            shown = f"{given!r}" if show_names else "a different name"
            candidate.notes.append(f"The notebook was saved as {shown}, not {notebook_name}; "
                                   "it was graded anyway, as it is the only one.")
        return
    exact = [f for f in notebooks if original_name(candidate.layout, f.name) == notebook_name]
    if not exact:
        wanted = Path(notebook_name).stem
        exact = [f for f in notebooks
                 if expected_stem(original_name(candidate.layout, f.name)) == wanted]
    if len(exact) == 1:
        extra = [f for f in candidate.files if f != exact[0]]
        candidate.notes.append(_also_found(extra, show_names))
        candidate.files = exact
        return
    listed = ", ".join(repr(f.name) for f in notebooks) if show_names else \
        f"{len(notebooks)} notebooks"
    candidate.problem = (
        f"This submission holds {len(notebooks)} notebooks ({listed}) and none or several "
        f"are named {notebook_name}, so we could not tell which one to grade. Ask the learner "
        "which one counts, keep only that one, and run the command again.")


def original_name(layout: str, file_name: str) -> str:
    """The name the learner gave the file, without the LMS's prefix."""
    pattern = {"canvas": (CANVAS, "file"), "moodle": (MOODLE, "rest")}.get(layout)
    if pattern:
        match = pattern[0].match(file_name)
        if match and match[pattern[1]]:
            return match[pattern[1]]
    return file_name


def _also_found(extra: list[Path], show_names: bool) -> str:
    if show_names:
        return "Also in the submission, not graded: " + ", ".join(repr(f.name) for f in extra) \
            + "."
    return f"{len(extra)} other file(s) in the submission were not graded."


def _deduplicate(found: list[Candidate], intake: Intake, show_names: bool) -> None:
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in found:
        groups[candidate.learner_id].append(candidate)
    for group in groups.values():
        group.sort(key=lambda c: (c.submitted_at is not None,
                                  c.submitted_at or datetime.min.replace(tzinfo=UTC), c.order))
        kept = group[-1]
        for older in group[:-1]:
            intake.superseded.append((older, kept))
        if len(group) > 1:
            when = kept.submitted_at.strftime("%Y-%m-%d %H:%M UTC") if kept.submitted_at \
                else "the one found last"
            kept.notes.append(f"Found {len(group)} submissions from this learner; the latest "
                              f"({when}) counts, the others were ignored.")
            kept.name = kept.name or next((c.name for c in group if c.name), None)
        intake.candidates.append(kept)
