"""Unpack an LMS download safely into a private folder.

Nothing is ever written outside ``dest``: members with absolute paths, ``..`` parts, drive
letters or links are refused; sizes are counted while unpacking (the sizes a zip declares are
not trusted); member count, total size, per-file size and compression ratio are capped; zips
whose entries overlap (the trick behind non-recursive zip bombs) are refused as a whole.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

CHUNK = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """Caps that keep a hostile zip from filling the disk or the memory."""

    max_members: int = 20_000
    max_member_bytes: int = 256 << 20
    max_total_bytes: int = 4 << 30
    max_ratio: float = 1_000.0
    ratio_applies_above: int = 64 << 20


class ZipRefused(Exception):
    """The whole zip is refused; the message says why in plain words."""


@dataclass
class RejectedMember:
    """One zip entry we did not unpack, with the plain reason."""

    name: str
    reason: str


@dataclass
class Unpacked:
    """Where the zip went, what was skipped, and each file's time as stored in the zip."""

    root: Path
    rejected: list[RejectedMember] = field(default_factory=list)
    times: dict[Path, datetime] = field(default_factory=dict)


def safe_member_path(name: str) -> PurePosixPath | None:
    """The relative path a member may be unpacked to, or None if it would escape."""
    if not name or "\x00" in name:
        return None
    unified = name.replace("\\", "/")
    if unified.startswith("/") or (len(unified) > 1 and unified[1] == ":"):
        return None
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return PurePosixPath(*parts)


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return bool(mode) and stat.S_ISLNK(mode)


def _check_overlap(infos: list[zipfile.ZipInfo]) -> None:
    spans = sorted((i.header_offset, i.header_offset + 30 + i.compress_size) for i in infos
                   if not i.is_dir())
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise ZipRefused(
                "This zip is built so that its files share the same packed data, a trick used "
                "by 'zip bombs' to expand to an enormous size. Nothing was unpacked. Download "
                "the submissions again from the LMS."
            )


DEFAULT_LIMITS = ZipLimits()


def unpack(zip_path: Path, dest: Path, limits: ZipLimits = DEFAULT_LIMITS) -> Unpacked:
    """Unpack ``zip_path`` into the (new, private) folder ``dest``."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ZipRefused(f"This file is not a readable zip ({error}).") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise ZipRefused(
                f"This zip holds {len(infos):,} entries, more than the {limits.max_members:,} "
                "a cohort download could hold; it may be a 'zip bomb'. Nothing was unpacked."
            )
        _check_overlap(infos)
        declared = sum(i.file_size for i in infos if _too_big(i, limits) is None)
        if declared > limits.max_total_bytes:
            raise ZipRefused(
                f"This zip would expand to {declared / 2**20:,.0f} MB, more than the "
                f"{limits.max_total_bytes / 2**20:,.0f} MB allowed; it may be a 'zip bomb'. "
                "Nothing was unpacked."
            )
        result = Unpacked(root=dest)
        dest.mkdir(mode=0o700, parents=True, exist_ok=True)
        total = 0
        taken: set[str] = set()
        for info in infos:
            rel = safe_member_path(info.filename)
            if rel is None:
                result.rejected.append(RejectedMember(info.filename, (
                    "its path points outside the download (an absolute path or '..'), so it "
                    "was not unpacked")))
                continue
            if info.is_dir():
                continue
            if _is_link(info):
                result.rejected.append(RejectedMember(info.filename, (
                    "it is a link to another file, not a file, so it was not unpacked")))
                continue
            key = str(rel).casefold()
            if key in taken:
                result.rejected.append(RejectedMember(info.filename, (
                    "the zip holds another file with the same name; only the first was "
                    "unpacked")))
                continue
            reason = _too_big(info, limits)
            if reason:
                result.rejected.append(RejectedMember(info.filename, reason))
                continue
            target = dest.joinpath(*rel.parts)
            try:
                room = limits.max_total_bytes - total
                written = _copy_member(archive, info, target, limits, room)
            except _MemberTooBig as error:
                target.unlink(missing_ok=True)
                result.rejected.append(RejectedMember(info.filename, str(error)))
                if error.total:
                    raise ZipRefused(
                        "This zip expands to more than the "
                        f"{limits.max_total_bytes / 2**20:,.0f} MB allowed; it may be a "
                        "'zip bomb'. Unpacking was stopped."
                    ) from None
                continue
            except (zipfile.BadZipFile, OSError, EOFError, ValueError,
                    NotImplementedError) as error:
                target.unlink(missing_ok=True)
                result.rejected.append(RejectedMember(info.filename, (
                    f"it is damaged inside the zip and could not be unpacked ({error})")))
                continue
            total += written
            taken.add(key)
            result.times[target] = datetime(*info.date_time)
        return result


def _too_big(info: zipfile.ZipInfo, limits: ZipLimits) -> str | None:
    if info.file_size > limits.max_member_bytes:
        return (f"it would expand to {info.file_size / 2**20:,.0f} MB, more than the "
                f"{limits.max_member_bytes / 2**20:,.0f} MB allowed for one file (a 'zip "
                "bomb', or a notebook with huge saved output)")
    if (info.file_size > limits.ratio_applies_above and info.compress_size
            and info.file_size / info.compress_size > limits.max_ratio):
        return ("it is compressed more than a thousandfold, the mark of a 'zip bomb', so it "
                "was not unpacked")
    return None


class _MemberTooBig(Exception):
    def __init__(self, message: str, total: bool = False) -> None:
        super().__init__(message)
        self.total = total


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path,
                 limits: ZipLimits, room: int) -> int:
    """Copy one member, counting real bytes; stop as soon as a cap is passed."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = 0
    with archive.open(info) as source, open(target, "xb") as sink:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > limits.max_member_bytes:
                raise _MemberTooBig(
                    "it expands to more than the "
                    f"{limits.max_member_bytes / 2**20:,.0f} MB allowed for one file "
                    "(more than the zip declared)")
            if written > room:
                raise _MemberTooBig("unpacking it passed the size allowed for the whole zip",
                                    total=True)
            sink.write(chunk)
    return written
