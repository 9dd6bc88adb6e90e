"""Small parts of cohort grading: reading files, lateness, ids and pseudonyms, CSV safety."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from grader.cohort.ids import Pseudonymiser, file_slug
from grader.cohort.late import (
    LatePolicy,
    LateSettingError,
    describe_lateness,
    parse_duration,
    parse_penalty,
    parse_time,
    zone,
)
from grader.cohort.outputs import cell, csv_text
from grader.cohort.reading import LARGE, read_submission, strip_outputs

LONDON = zone("Europe/London")


def _nb(cells: list, **extra) -> dict:
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **extra}


def _code(source, outputs=None) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {},
            "outputs": outputs or [], "source": source}


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "empty"),
    (b"%PDF-1.4 whatever", "PDF"),
    (b"\x89PNG\r\n", "PNG"),
    (b"PK\x03\x04rest", "Office"),
    (b"just some text", "not a Jupyter notebook"),
    (b'{"cells": [', "damaged"),
    (b'{"some": "json"}', "not a Jupyter notebook"),
    (b'{"cells": "nope", "nbformat": 4}', "structure is damaged"),
    (b'{"cells": [], "nbformat": 9}', "format version 9"),
])
def test_unreadable_files_get_plain_reasons(tmp_path, data, fragment):
    path = tmp_path / "x.ipynb"
    path.write_bytes(data)
    result = read_submission(path)
    assert result.notebook is None
    assert fragment.casefold() in result.problem.casefold()


def test_a_file_over_the_cap_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "big.ipynb"
    path.write_bytes(b"{" + b" " * 2048 + b"}")
    assert "more than" in read_submission(path, max_bytes=1024).problem


def test_lines_as_lists_bom_and_bad_bytes_are_read(tmp_path):
    notebook = _nb([_code(['post_01 = "acceptable"\n', "# caf\u00e9"])])
    path = tmp_path / "x.ipynb"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(notebook, ensure_ascii=False).encode("latin-1"))
    result = read_submission(path)
    assert result.problem is None
    assert result.notebook["cells"][0]["source"].startswith('post_01 = "acceptable"\n')
    assert any("UTF-8" in note for note in result.notes)


def test_large_outputs_are_skipped_without_parsing_them(tmp_path):
    junk = "]" * 1000 + '"[' + "x" * (LARGE + 10)
    notebook = _nb([_code('post_01 = "acceptable"', [{"output_type": "stream",
                                                     "name": "stdout", "text": [junk]}])])
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = read_submission(path)
    assert result.problem is None
    assert result.notebook["cells"][0]["outputs"] == []
    assert result.notebook["cells"][0]["source"] == 'post_01 = "acceptable"'


def test_strip_outputs_respects_strings_and_nesting():
    notebook = _nb([_code('x = "\\"outputs\\": [ not a key"',
                          [{"data": {"text/plain": ["[", "]]", '"']}, "nested": [[1], [2]]}]),
                    _code("y = 1", [])])
    text = json.dumps(notebook).encode()
    stripped = json.loads(strip_outputs(text))
    assert [c["outputs"] for c in stripped["cells"]] == [[], []]
    assert stripped["cells"][0]["source"] == notebook["cells"][0]["source"]


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-01 17:00", datetime(2026, 12, 1, 17, 0, tzinfo=UTC)),  # GMT in winter
    ("2026-07-01 17:00", datetime(2026, 7, 1, 16, 0, tzinfo=UTC)),  # BST in summer
    ("2026-07-01 17:00 UTC", datetime(2026, 7, 1, 17, 0, tzinfo=UTC)),
    ("2026-07-01T17:00+02:00", datetime(2026, 7, 1, 15, 0, tzinfo=UTC)),
    ("2026-07-01 17:00 Europe/Paris", datetime(2026, 7, 1, 15, 0, tzinfo=UTC)),
])
def test_deadlines(text, expected):
    assert parse_time(text, LONDON) == expected


@pytest.mark.parametrize(("rule", "late", "points"), [
    ("10%/day", timedelta(minutes=1), 2.0),
    ("10%/day", timedelta(days=1), 2.0),
    ("10%/day", timedelta(days=1, seconds=1), 4.0),
    ("2/day", timedelta(days=2, hours=3), 6.0),
    ("5%/hour", timedelta(hours=2, minutes=30), 3.0),
    ("10%", timedelta(days=9), 2.0),
    ("3", timedelta(seconds=5), 3.0),
    ("0", timedelta(days=3), 0.0),
    ("10%/day", timedelta(0), 0.0),
])
def test_penalties_per_started_period_of_the_maximum(rule, late, points):
    assert parse_penalty(rule).points(late.total_seconds(), 20) == pytest.approx(points)


@pytest.mark.parametrize("bad", ["ten percent", "10%/week", "150%", "-2/day"])
def test_unreadable_penalties(bad):
    with pytest.raises(LateSettingError):
        parse_penalty(bad)


def test_grace_and_unknown_times():
    due = datetime(2026, 12, 1, 17, tzinfo=UTC)
    policy = LatePolicy(due, parse_penalty("1/day"), parse_duration("15m"))
    assert policy.seconds_late(due + timedelta(minutes=14)) == 0
    assert policy.seconds_late(due + timedelta(minutes=16)) == 60
    assert policy.seconds_late(None) == 0
    assert describe_lateness(25 * 3600) == "1 day 1 hour"
    assert describe_lateness(90) == "2 minutes"
    with pytest.raises(LateSettingError):
        zone("Mars/Olympus")


def test_pseudonyms_are_stable_secret_and_private(tmp_path):
    secret = tmp_path / "keys" / "secret.key"
    first = Pseudonymiser.from_file(secret)
    assert (secret.stat().st_mode & 0o777) == 0o600
    again = Pseudonymiser.from_file(secret)
    assert first.code("Zoë O'Brien") == again.code("Zoë O'Brien") == again.code(
        "Zoe\u0308 O'Brien")  # the same name, typed with a combining accent
    assert first.code("a") != first.code("b")
    other = Pseudonymiser.from_file(tmp_path / "other.key")
    assert other.code("a") != first.code("a")


def test_file_slugs_are_safe_and_distinct():
    assert file_slug("jsmith") == "jsmith"
    slugs = {file_slug(x) for x in ("Zoë", "Zoe", "zoe", "../etc", "a b", "a_b", ".hidden")}
    assert len(slugs) == 7
    for slug in slugs:
        assert "/" not in slug and not slug.startswith(".") and Path(slug).name == slug


def test_csv_cells_cannot_become_formulas():
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("+1") == "'+1" and cell("@x") == "'@x" and cell("-1") == "'-1"
    assert cell(-1.0) == "-1" and cell(None) == "" and cell(True) == "yes"
    assert csv_text(["a"], [["=1+1"]]) == "a\n'=1+1\n"
