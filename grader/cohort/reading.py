"""Read one submitted file into a notebook, or say in plain words why it cannot be read.

Nothing in the file is ever executed. Large files are read by sources only: every ``outputs``
list is skipped before parsing, so a notebook with 100 MB of saved output costs a few seconds
and little memory. Non-UTF-8 bytes are replaced (and noted); nbformat 3 is converted to 4.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LARGE = 8 << 20
DEFAULT_MAX_BYTES = 512 << 20
DEFAULT_TIME_LIMIT = 60.0
_OUTPUTS_KEY = re.compile(rb'"outputs"\s*:\s*\[')
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]]', re.S)
_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip or an Office document (Word, Excel…)"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office document"),
    (b"{\\rtf", "a rich-text document"),
    (b"\x89PNG", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF8", "a GIF picture"),
    (b"<!DOCTYPE", "a web page"),
    (b"<html", "a web page"),
]


@dataclass
class ReadResult:
    """A notebook (nbformat 4, as plain JSON data) or a plain problem; notes are worth telling
    the assessor."""

    notebook: dict | None = None
    problem: str | None = None
    notes: list[str] = field(default_factory=list)
    kind: str = "other"
    """What the learner is told (a key of :data:`~grader.cohort.model.LEARNER_PROBLEM`)."""


def read_submission(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read ``path`` without trusting anything in it."""
    size = path.stat().st_size
    if size == 0:
        return ReadResult(kind="empty", problem=(
            "The file is empty (0 bytes): the notebook was probably not saved before it was "
            "submitted."))
    if size > max_bytes:
        return ReadResult(kind="too large", problem=(
            f"The file is {size / 2**20:,.0f} MB, more than the {max_bytes / 2**20:,.0f} MB "
            "we read. It probably holds large saved outputs: ask the learner to clear all "
            "outputs, save and submit again."))
    data = path.read_bytes()
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, kind in _MAGIC:
        if head[: len(magic)].lower() == magic.lower():
            return ReadResult(kind="not a notebook",
                              problem=f"This is {kind}, not a Jupyter notebook. Ask the learner "
                              "to submit the .ipynb file of the exercise.")
    result = ReadResult()
    if size > LARGE:
        data = strip_outputs(data)
        result.notes.append(f"The file is large ({size / 2**20:,.0f} MB of saved output); "
                            "only the cells' text was read.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        if text.startswith("\ufeff"):
            text = text[1:]
        result.notes.append("The file contains bytes that are not valid text (not UTF-8); "
                            "they were replaced before reading.")
    del data
    if not text.lstrip().startswith("{"):
        result.kind = "not a notebook"
        result.problem = ("This file is not a Jupyter notebook (it does not start like one). "
                          "Ask the learner to submit the .ipynb file of the exercise.")
        return result
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        where = f" (near line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        result.kind = "damaged"
        result.problem = (
            f"The notebook file is damaged: it is not valid notebook data{where}. It may have "
            "been cut short or edited outside Jupyter. Ask the learner to open it in Jupyter, "
            "save and submit again.")
        return result
    return _to_v4(raw, result)


def _to_v4(raw: Any, result: ReadResult) -> ReadResult:
    if not isinstance(raw, dict) or not ("cells" in raw or "worksheets" in raw):
        result.kind = "not a notebook"
        result.problem = ("This file holds data, but not a Jupyter notebook. Ask the learner "
                          "to submit the .ipynb file of the exercise.")
        return result
    major = raw.get("nbformat", 4 if "cells" in raw else 3)
    try:
        if major == 3:
            import nbformat  # only old notebooks pay for nbformat's import

            raw = nbformat.reads(json.dumps(raw), as_version=4)
            result.notes.append("The notebook was in the old format 3 and was converted.")
        elif major != 4:
            result.problem = (f"The notebook uses format version {major}, which this grader "
                              "does not know. Ask the learner to save it from JupyterLab.")
            return result
        cells = raw.get("cells")
        if not isinstance(cells, list):
            raise ValueError("no cell list")
        for cell in cells:
            if not isinstance(cell, dict) or not isinstance(cell.get("source", ""), (str, list)):
                raise ValueError("bad cell")
            if isinstance(cell.get("source"), list):
                cell["source"] = "".join(str(part) for part in cell["source"])
            if not isinstance(cell.get("metadata"), dict):
                cell["metadata"] = {}
    except Exception:  # noqa: BLE001 - any malformed structure is the learner's file, not a bug
        result.kind = "damaged"
        result.problem = ("The notebook's structure is damaged, so its cells cannot be read. "
                          "Ask the learner to open it in Jupyter, save and submit again.")
        return result
    result.notebook = raw
    return result


def strip_outputs(data: bytes) -> bytes:
    """Replace every ``"outputs": [...]`` value by ``[]`` without parsing the outputs.

    Works on the raw bytes (UTF-8 never uses the bytes of ``"``, ``[`` or ``]`` inside a
    multi-byte character), jumping from string to string, so huge outputs cost little.
    """
    pieces: list[bytes] = []
    position = 0
    while match := _OUTPUTS_KEY.search(data, position):
        pieces.append(data[position: match.end()])
        depth, cursor, end = 1, match.end(), len(data)
        while depth and cursor < end:
            token = _TOKEN.search(data, cursor)
            if token is None:
                cursor = end
                break
            cursor = token.end()
            if token[0] == b"[":
                depth += 1
            elif token[0] == b"]":
                depth -= 1
        pieces.append(b"]")
        position = cursor
    pieces.append(data[position:])
    return b"".join(pieces)
