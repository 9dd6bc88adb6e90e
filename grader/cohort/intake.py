"""Find every learner's submission in a download, whatever its layout.

Layouts (``detect_layout``):
- ``nbgrader``: ``submitted/<learner>/<assignment>/*.ipynb`` (+ ``timestamp.txt``);
- ``moodle``: "Download all submissions": ``Full Name_ID_assignsubmission_file_/…`` folders (or
  the same prefix on each file when Moodle was told not to use folders); the id is the
  participant number Moodle uses in its grading worksheet;
- ``canvas``: flat ``name_[LATE_]userid_attachmentid_file.ipynb`` (also ``_late_``, and
  ``anon_[LATE_]anonymousid_attachmentid_file`` when the assignment is marked anonymously);
- ``flat``: one file per learner, the learner id taken from the file name.

A layout is chosen only when the download fits it and no other (``detect_layout``); otherwise
the run is refused and the assessor names it with ``--layout``.

We never choose between notebooks: a learner with two notebooks (``ex01.ipynb`` and
``ex01 (1).ipynb``) is a ``problem`` naming both, unless they are byte for byte the same. The
same learner found in two sources (a main download and a late one): the later trustworthy
submission time counts, else the source given last.

Submission times come only from trustworthy places: nbgrader's ``timestamp.txt`` (or a
submission-times file, applied by the pipeline). Zip entry times and file modification times
are when a file was packed or copied, not when anyone submitted, so they are never used.
"""

from __future__ import annotations

import filecmp
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .ids import tidy
from .late import LateSettingError, read_time
from .model import Candidate, Rejected
from .zipsafe import DEFAULT_LIMITS, Unpacked, ZipLimits, ZipRefused, unpack

LAYOUTS = ("nbgrader", "moodle", "canvas", "flat")
MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)_(?P<rest>.*)$",
    re.S)
CANVAS = re.compile(r"^(?:(?P<anon>anon)|(?P<name>.+?))(?P<late>_(?i:late))?_"
                    r"(?P<uid>(?(anon)[A-Za-z0-9]+|\d+))_(?P<att>\d+)_(?P<file>.+)$", re.S)
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
    zone: ZoneInfo
    show_names: bool
    number: int = 0


def junk(path: Path) -> bool:
    """Files and folders that are never submissions (OS litter, checkpoints, hidden files)."""
    return path.name in JUNK or path.name.startswith(".")


def gather(sources: list[Path], assignment_id: str, notebook_name: str, workdir: Path,
           zone: ZoneInfo, show_names: bool = True, layout: str | None = None,
           limits: ZipLimits = DEFAULT_LIMITS, own_work: bool = False) -> Intake:
    """Collect one candidate per learner from all ``sources`` (folders or zips);
    ``own_work``: one learner marking their own file (the learner app), whatever its name."""
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
        source.number = number
        kind = layout or detect_layout(source.root, assignment_id, path.name)
        intake.layouts.append(kind)
        collect = {"nbgrader": _nbgrader, "moodle": _moodle, "canvas": _canvas,
                   "flat": _flat}[kind]
        batch = (_flat(source, assignment_id, intake, own_work) if kind == "flat"
                 else collect(source, assignment_id, intake))
        for candidate in batch:
            _choose_notebook(candidate, notebook_name, show_names)
            candidate.order = len(found)
            candidate.source = number
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
        return _Source(label, root, zone, show_names)
    if path.is_file():
        if path.suffix.lower() == ".zip":
            raise IntakeError(f"{path.name} ends in .zip but is not a readable zip file. "
                              "Download it again from the LMS.")
        raise IntakeError(f"{path.name} is a single file. Give the folder or the zip that holds "
                          "everyone's submissions.")
    return _Source(label, path, zone, show_names)


LAYOUT_CHOICES = ("--layout nbgrader (a folder per learner), --layout flat (one notebook per "
                  "learner, named after them), --layout moodle or --layout canvas")


def detect_layout(root: Path, assignment_id: str, label: str = "") -> str:
    """Which of the four layouts ``root`` is; refused (:class:`IntakeError`) unless only one
    fits."""
    if (root / "submitted").is_dir():
        return "nbgrader"
    children = [c for c in sorted(root.iterdir()) if not junk(c)]
    if not children:
        raise IntakeError("No submissions were found there: the folder is empty.")
    where = f" {label}" if label else ""
    moodle = [c for c in children if MOODLE.match(c.name)]
    folders = [c for c in children if c.is_dir()]
    files = [c for c in children if c.is_file()]
    canvas = [f for f in files if CANVAS.match(f.name)]
    if moodle and len(moodle) == len(children):
        return "moodle"
    if canvas and not folders and len(canvas) == len(files):
        return "canvas"
    if folders and not files and not moodle:
        return "nbgrader"
    if files and not folders and not canvas and not moodle:
        return "flat"
    kinds = []
    if moodle:
        kinds.append(f"{len(moodle)} named like a Moodle download")
    if canvas:
        kinds.append(f"{len(canvas)} named like a Canvas download")
    plain_files = len(files) - len(canvas) - sum(1 for m in moodle if m.is_file())
    plain_folders = len(folders) - sum(1 for m in moodle if m.is_dir())
    if plain_files:
        kinds.append(f"{plain_files} other file{'s' if plain_files != 1 else ''}")
    if plain_folders:
        kinds.append(f"{plain_folders} other folder{'s' if plain_folders != 1 else ''}")
    raise IntakeError(
        f"The submissions{where} could be read more than one way: they hold "
        + ", ".join(kinds) + ". Nothing was graded, so that no learner is lost. Say which "
        f"layout it is with {LAYOUT_CHOICES}; whatever does not fit it is listed as refused in "
        "grades.csv.")


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
            elif others:
                shown = ", ".join(others) if source.show_names else f"{len(others)} other folder(s)"
                candidate.not_submitted = (
                    f"Nothing submitted for {assignment_id} (this learner's folder holds only "
                    f"{shown}).")
            else:
                candidate.not_submitted = "The learner's folder is empty: nothing submitted."
        out.append(candidate)
    return out


def _read_timestamp(path: Path) -> tuple[datetime | None, str | None]:
    """nbgrader's ``timestamp.txt`` (UTC unless it says otherwise)."""
    text = path.read_bytes()[:200].decode("utf-8", "replace").strip()
    try:
        return read_time(text, ZoneInfo("UTC")).moment, None
    except LateSettingError:
        return None, ("Its timestamp.txt could not be read, so the submission time is unknown "
                      "and lateness was not checked.")


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
        if not candidate.files:
            candidate.not_submitted = "Moodle holds no file for this learner: nothing submitted."
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
        name = None if match["anon"] else tidy(match["name"])
        candidate = groups.setdefault(uid, Candidate(
            learner_id=uid, name=name, layout="canvas", files=[],
            folder_label=child.name, lms_id=uid))
        if match["anon"]:
            candidate.notes.append("Canvas marked this assignment anonymously: the learner is "
                                   "known by Canvas's anonymous id only.")
        candidate.files.append(child)
        candidate.lms_late = candidate.lms_late or bool(match["late"])
    out = list(groups.values())
    for candidate in out:
        if candidate.lms_late:
            candidate.notes.append("Canvas marked this submission as late.")
    _attach_rejected(out, intake, source, _canvas_id)
    return out


def _canvas_id(member: str) -> str | None:
    match = CANVAS.match(member.replace("\\", "/").rsplit("/", 1)[-1])
    return match["uid"] if match else None


def _flat(source: _Source, assignment_id: str, intake: Intake,
          own_work: bool = False) -> list[Candidate]:
    files = []
    for child in sorted(p for p in source.root.iterdir() if not junk(p)):
        if child.is_dir():
            intake.rejected.append(Rejected(source.label, child.name, (
                "a folder among single-file submissions belongs to no learner, so it was not "
                "graded")))
            continue
        files.append(child)
    out = []
    for child in files:
        learner_id = flat_learner_id(child.name, assignment_id)
        problem = None
        if not (own_work and len(files) == 1):  # a learner marking their own work: it is theirs
            problem = unnamed_problem(child.name, assignment_id, source.show_names)
        if problem:
            learner_id = tidy(child.name)  # the whole file name: one row per such file
        out.append(Candidate(learner_id=learner_id, name=None, layout="flat", files=[child],
                             folder_label=child.name, problem=problem))
    return out


#: Words that say which copy or version a file is, never whose it is.
NOISE_WORDS = frozenset({"copy", "final", "draft", "version", "new", "latest", "updated",
                         "revised", "finished", "complete", "completed", "submission"})
_VERSION = re.compile(r"^v\d+$", re.I)


def _exercise_pattern(assignment_id: str) -> re.Pattern[str]:
    """The exercise's id however it is spaced: ``ex01_classify_posts``, ``ex01 classify posts``,
    ``EX01-Classify-Posts``."""
    return re.compile(r"[\s_-]*".join(re.escape(w) for w in assignment_id.split("_")), re.I)


def _stem(file_name: str) -> str:
    stem = tidy(file_name.rsplit(".", 1)[0] if "." in file_name[1:] else file_name)
    copy = re.match(r"^(.*?) \(\d+\)$", stem)
    return copy[1] if copy else stem


def unnamed_problem(file_name: str, assignment_id: str, show_names: bool = True) -> str | None:
    """Why a flat folder's file name cannot be taken as a learner's id (None when it can): it
    is the exercise's own file name (as the course tells learners to keep it), or it holds
    words like "FINAL", "v2" or "copy" besides a name, and we never guess which part is whose."""
    stem = _stem(file_name)
    rest = _exercise_pattern(assignment_id).sub(" ", stem)
    words = [w for w in re.split(r"[\s_.~()\[\]{}+,;-]+", rest) if w]
    noise = [w for w in words if w.casefold() in NOISE_WORDS or _VERSION.match(w)]
    shown = f"The file {file_name!r}" if show_names else "A file"
    fix = ("Rename the file to the learner's id alone (for example jsmith.ipynb) and run the "
           "command again.")
    if len(words) == len(noise):
        return (f"{shown} is named after the exercise, not after a learner, so it does not say "
                f"whose work it is, and it was not graded: we never guess. {fix}")
    if noise:
        listed = ", ".join(f"\u201c{w}\u201d" for w in noise)
        return (f"{shown} has words such as {listed} in its name besides the learner's, so we "
                "could not tell which part names the learner, and it was not graded: we never "
                f"guess. {fix}")
    return None


def flat_learner_id(file_name: str, assignment_id: str) -> str:
    """``Jo Bloggs - ex01_classify_posts (1).ipynb`` → ``Jo Bloggs`` (a name that cannot be a
    learner's, such as the exercise's own, is refused by :func:`unnamed_problem`)."""
    stem = _stem(file_name)
    trimmed = _exercise_pattern(assignment_id).sub(" ", stem)
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
    if candidate.problem or candidate.not_submitted or not candidate.files:
        if not candidate.problem and not candidate.not_submitted:
            candidate.not_submitted = "No file was found for this learner: nothing submitted."
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
    if all(filecmp.cmp(notebooks[0], f, shallow=False) for f in notebooks[1:]):  # one file
        extra = [f for f in candidate.files if f != notebooks[0]]
        candidate.notes.append(_also_found(extra, show_names).replace(
            "not graded", "identical copies of the graded notebook"))
        candidate.files = notebooks[:1]
        return
    listed = ", ".join(repr(f.name) for f in notebooks) if show_names else \
        f"{len(notebooks)} notebooks"
    candidate.problem = (
        f"This submission holds {len(notebooks)} different notebooks ({listed}), so we could "
        "not tell which one to grade and graded none: we never choose for the learner. Ask "
        "the learner which one counts, keep only that one, and run the command again.")


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
    """One candidate per learner. Within one source, two submissions of a learner cannot be
    put in order (no trustworthy time tells which is later), so the learner is a problem
    naming both; across sources, the later trustworthy time counts, else the later source."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in found:
        groups[candidate.learner_id].append(candidate)
    for group in groups.values():
        real = [c for c in group if not c.not_submitted] or group
        if len(real) == 1:
            intake.candidates.append(real[0])
            continue
        sources = [c.source for c in real]
        timed = all(c.submitted_at is not None for c in real)
        if len(set(sources)) < len(sources) and not timed:
            kept = real[-1]
            files = [f for c in real for f in c.files]
            listed = ", ".join(repr(f.name) for f in files) if show_names else \
                f"{len(files)} files"
            kept.problem = (
                f"This learner appears {len(real)} times in one download ({listed}), with "
                "nothing to tell which submission is the latest, so none was graded: we never "
                "choose for the learner. Keep only the one that counts and run the command "
                "again.")
            kept.files = files
            kept.duplicates = len(real)
            intake.candidates.append(kept)
            continue
        if timed:
            real.sort(key=lambda c: (c.submitted_at, c.order))
        else:  # times cannot be compared with no time: the source given last counts
            real.sort(key=lambda c: (c.source, c.order))
        kept = real[-1]
        for older in real[:-1]:
            intake.superseded.append((older, kept))
        when = kept.submitted_at.strftime("%Y-%m-%d %H:%M UTC") if kept.submitted_at \
            else "the one in the download given last"
        kept.notes.append(f"Found {len(real)} submissions from this learner; the latest "
                          f"({when}) counts, the others were ignored.")
        kept.name = kept.name or next((c.name for c in real if c.name), None)
        intake.candidates.append(kept)
