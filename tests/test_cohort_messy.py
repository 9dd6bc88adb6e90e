"""The messy cohort: every bad input of issue 4 plus honest learners, graded in one run.

Must show: one row per learner, honest learners' scores exact, every broken one with a plain
reason, originals byte-identical, nothing written outside the results folder.
"""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import cohort_helpers as h
import nbformat
import pytest

DUE = "2026-12-01 17:00 UTC"
BIG_OUTPUT_MB = 100
MAX_FILE_MB = 150
BOMB_MB = 200  # expands to more than MAX_FILE_MB, from a zip entry of about 200 KB


def _cheat(data: dict, source: str) -> dict:
    data = copy.deepcopy(data)
    data["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {},
                          "outputs": [], "source": source})
    return data


def _with_big_output(data: dict, megabytes: int) -> dict:
    data = copy.deepcopy(data)
    line = "x" * 1023 + "\n"
    data["cells"].append({"cell_type": "code", "execution_count": 1, "metadata": {},
                          "source": "print('lots')",
                          "outputs": [{"output_type": "stream", "name": "stdout",
                                       "text": [line] * (megabytes * 1024)}]})
    return data


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """Build the cohort, grade it once, and return what the tests need."""
    tmp = tmp_path_factory.mktemp("messy")
    ex = h.load(h.EX01)
    ex2 = h.load(h.EX02)
    items = list(ex.auto_items)
    full = h.key_answers(ex)
    full_score = ex.max_score
    half, half_score = h.answers_with_wrong(ex, len(items) // 2)
    expect: dict[str, float | None] = {}
    reasons: dict[str, str] = {}
    sub = tmp / "submitted"

    def put(learner, data, score, **kw):
        h.nbgrader_submission(sub, learner, ex, data, **kw)
        expect[learner] = score

    def broken(learner, data, reason, **kw):
        h.nbgrader_submission(sub, learner, ex, data, **kw)
        expect[learner] = None
        reasons[learner] = reason

    put("honest-full", h.notebook(ex, full), full_score)
    put("honest-half", h.notebook(ex, half), half_score)
    put("honest-blank", h.release(ex), 0.0)
    text = json.dumps(h.notebook(ex, full))
    broken("invalid-json", text[: len(text) // 2].encode(), "damaged")
    broken("empty-file", b"", "empty")
    broken("pdf-named-ipynb", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF")
    broken("word-document", b"PK\x03\x04" + b"\0" * 200, "Office", name="ex01.docx")
    broken("plain-text", b"I could not open the notebook, sorry!\n", "not a Jupyter notebook",
           name="answers.txt")
    put("renamed", h.notebook(ex, half), half_score, name="my answers (final).ipynb")
    broken("two-notebooks", h.notebook(ex, full), "2 different notebooks", name="draft.ipynb")
    h.nbgrader_submission(sub, "two-notebooks", ex, h.notebook(ex, half), name="final.ipynb")
    # one named like the exercise and a copy: still two notebooks, never chosen between
    broken("two-one-expected", h.notebook(ex, half), "2 different notebooks")
    h.nbgrader_submission(sub, "two-one-expected", ex, h.notebook(ex, full), name="copy.ipynb")
    # wrong assignment: a folder for ex02 only; and ex02's notebook saved under ex01's name
    wrong_folder = sub / "wrong-folder" / ex2.id
    h.write_nb(wrong_folder / ex2.notebook_name, h.release(ex2))
    expect["wrong-folder"] = None  # not submitted (another exercise only): not a problem
    broken("wrong-notebook", h.release(ex2), ex2.id)

    base = h.notebook(ex, half)
    # cells deleted: the answer cells of the last three items (answered right in `half`)
    deleted = copy.deepcopy(base)
    gone = {item.answer_cell for item in items[-3:]}
    deleted["cells"] = [c for c in deleted["cells"]
                        if c["metadata"].get("nbgrader", {}).get("grade_id") not in gone]
    put("cells-deleted", deleted, half_score - sum(item.points for item in items[-3:]))
    # cells duplicated: a later copy of an answer cell wins (last binding, as if run in order)
    duplicated = copy.deepcopy(base)
    answer_cell = next(c for c in duplicated["cells"]
                       if c["metadata"].get("nbgrader", {}).get("grade_id")
                       == items[0].answer_cell)
    again = copy.deepcopy(answer_cell)
    again["source"] = f'{items[0].variable} = "{items[0].answer}"'
    again.pop("id", None)
    duplicated["cells"].append(again)
    put("cells-duplicated", duplicated, half_score + items[0].points)
    reordered = copy.deepcopy(base)
    reordered["cells"].reverse()
    put("cells-reordered", reordered, half_score)
    retyped = copy.deepcopy(base)
    last = items[-1]
    for c in retyped["cells"]:
        if c["metadata"].get("nbgrader", {}).get("grade_id") == last.answer_cell:
            c["cell_type"] = "markdown"
            c.pop("outputs", None)
            c.pop("execution_count", None)
    put("cell-type-changed", retyped, half_score - last.points)
    stripped = copy.deepcopy(base)
    for c in stripped["cells"]:
        c["metadata"].pop("nbgrader", None)
    put("metadata-stripped", stripped, half_score)
    v3 = nbformat.convert(nbformat.reads(json.dumps(base), as_version=4), 3)
    put("nbformat-3", json.loads(nbformat.writes(v3, version=3)), half_score)
    put("big-output", _with_big_output(base, BIG_OUTPUT_MB), half_score)
    latin = json.dumps(base, ensure_ascii=False).replace("Post 1", "Post 1 caf\u00e9", 1)
    put("non-utf8", latin.encode("latin-1", errors="replace"), half_score)
    put("Zoë O'Brien \"Jo\" Ng", h.notebook(ex, full), full_score)
    # the cheats of issue 3: nothing runs, so each scores its honest answers
    cheat_base = h.notebook(ex, half)
    str_cheat = copy.deepcopy(cheat_base)
    for c in str_cheat["cells"]:
        if c["metadata"].get("nbgrader", {}).get("grade_id") == items[0].answer_cell:
            c["source"] = ("class A(str):\n    __eq__ = lambda *a: True\n\n"
                           f'{items[0].variable} = A("{items[0].answer}")')
    assert half[items[0].variable] != items[0].answer  # the cheat tries to win this item
    put("cheat-str-subclass", str_cheat, half_score)
    put("cheat-transformer", _cheat(cheat_base, (
        "ip = get_ipython()\n"
        "ip.input_transformers_cleanup.append(lambda lines: "
        "[l.replace('assert', 'pass') for l in lines])")), half_score)
    put("cheat-reads-key", _cheat(cheat_base, (
        "print(open('../../../solutions/ex01_classify_posts/ex01_classify_posts.ipynb')"
        ".read())")), half_score)
    put("cheat-gradebook", _cheat(cheat_base, (
        "import sqlite3\nsqlite3.connect('../../../gradebook.db').execute("
        "\"update student set first_name='pwned'\").connection.commit()")), half_score)
    # late: one day and a bit after the deadline, 10%/day of 20 points → 2 days → 4 points off
    put("late", h.notebook(ex, full), None, stamp="2026-12-02 18:00:00 UTC")
    late_penalty = 2 * 0.10 * ex.max_score
    expect["late"] = full_score - late_penalty
    # same learner twice: a folder copy and an upload in a source given later; the upload's
    # file time (older!) is not a submission time, so the later source counts
    put("twice", h.notebook(ex, half), None, stamp="2026-11-29 09:00:00 UTC")
    uploads = tmp / "uploads"
    h.write_nb(uploads / "twice.ipynb", h.notebook(ex, full))
    older = datetime(2026, 11, 1, 9, 0, tzinfo=UTC).timestamp()
    os.utime(uploads / "twice.ipynb", (older, older))
    expect["twice"] = full_score
    # a Moodle zip with honest learners, ../ and absolute paths, and a zip bomb
    moodle_dir = tmp / "moodle-src"
    h.write_nb(moodle_dir / "Ada Lovelace_501_assignsubmission_file_" / ex.notebook_name,
               h.notebook(ex, full))
    h.write_nb(moodle_dir / "Ben Okafor_502_assignsubmission_file_" / ex.notebook_name,
               h.notebook(ex, half))
    moodle = h.zip_folder(moodle_dir, tmp / "moodle.zip")
    with zipfile.ZipFile(moodle, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../escaped.ipynb", json.dumps(h.notebook(ex, full)))
        archive.writestr("/etc/absolute.ipynb", json.dumps(h.notebook(ex, full)))
        with archive.open("Cy Bomb_503_assignsubmission_file_/ex01_classify_posts.ipynb",
                          "w", force_zip64=True) as bomb:
            for _ in range(BOMB_MB):
                bomb.write(bytes(1 << 20))
    expect["501"], expect["502"] = full_score, half_score
    expect["503"], reasons["503"] = None, "zip bomb"

    sources = [sub, uploads, moodle]
    before = h.hashes(*sources)
    outside_before = sorted(str(p) for p in tmp.rglob("*"))
    out = tmp / "out"
    status = h.grade(h.EX01, *sources, "--out", out, "--jobs", "2", "--due", DUE,
                     "--late-penalty", "10%/day", "--max-file-mb", str(MAX_FILE_MB))
    return {"ex": ex, "tmp": tmp, "out": out, "status": status, "expect": expect,
            "reasons": reasons, "before": before, "sources": sources,
            "outside_before": outside_before}


def test_one_row_per_learner_and_exit_status_two(messy):
    rows = h.grades(messy["out"])
    learners = {k: v for k, v in rows.items() if v["status"] != "refused"}
    assert sorted(learners) == sorted(messy["expect"])
    refused = {k: v for k, v in rows.items() if v["status"] == "refused"}
    assert sorted(refused) == ["../escaped.ipynb", "/etc/absolute.ipynb"]
    assert all("outside the download" in v["problem"] for v in refused.values())
    assert rows["wrong-folder"]["status"] == "not submitted"
    assert messy["status"] == 2


def test_honest_learners_scores_are_exact(messy):
    rows = h.grades(messy["out"])
    for learner, score in messy["expect"].items():
        if score is None:
            continue
        row = rows[learner]
        assert row["status"] == "graded", (learner, row["problem"])
        assert float(row["score"]) == pytest.approx(score), learner
        assert float(row["max_score"]) == messy["ex"].max_score


def test_every_broken_submission_has_a_plain_reason(messy):
    rows = h.grades(messy["out"])
    for learner, fragment in messy["reasons"].items():
        row = rows[learner]
        assert row["status"] == "problem", learner
        assert fragment.casefold() in row["problem"].casefold(), (learner, row["problem"])
        assert "Traceback" not in row["problem"]


def test_notes_explain_what_was_done(messy):
    rows = h.grades(messy["out"])
    assert "only one" in rows["renamed"]["notes"]
    assert "format 3" in rows["nbformat-3"]["notes"]
    assert "only the cells' text" in rows["big-output"]["notes"]
    assert "UTF-8" in rows["non-utf8"]["notes"]
    assert "latest" in rows["twice"]["notes"]
    assert rows["late"]["late_by"] == "1 day 1 hour"
    assert float(rows["late"]["late_penalty"]) == pytest.approx(0.2 * messy["ex"].max_score)


def test_originals_are_byte_identical_and_nothing_written_outside(messy):
    assert h.hashes(*messy["sources"]) == messy["before"]
    tmp, out = messy["tmp"], messy["out"]
    now = sorted(str(p) for p in tmp.rglob("*") if not p.is_relative_to(out) and p != out)
    assert now == messy["outside_before"]
    assert not list(out.glob(".work-*")), "the private unpacking folder was not removed"


def test_refused_zip_members_are_reported(messy):
    report = (messy["out"] / "report-with-answers.html").read_text(encoding="utf-8")
    assert "../escaped.ipynb" in report and "/etc/absolute.ipynb" in report
    assert "outside the download" in report
    assert not (messy["tmp"] / "escaped.ipynb").exists()
    assert not Path("/etc/absolute.ipynb").exists()


def test_cheats_cannot_touch_the_gradebook(messy):
    with sqlite3.connect(messy["out"] / "gradebook.db") as db:
        names = {row[0] for row in db.execute("select first_name from student")}
    assert "pwned" not in names


def test_outputs_are_owner_only(messy):
    out = messy["out"]
    assert (out.stat().st_mode & 0o777) == 0o700
    for path in out.rglob("*"):
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_feedback_page_per_graded_learner_with_safe_names(messy):
    out = messy["out"]
    rows = h.grades(out)
    for learner, row in rows.items():
        if row["status"] in ("refused", "not submitted"):
            assert row["feedback"] == "", learner
            continue
        page = out / row["feedback"]
        assert page.is_file(), learner
        assert page.parent == out / "feedback"
    page = (out / rows["Zoë O'Brien \"Jo\" Ng"]["feedback"]).read_text(encoding="utf-8")
    assert "Zoë O&#39;Brien &#34;Jo&#34; Ng" in page


def test_gradebook_agrees_with_grades_csv(messy):
    """What `nbgrader export` reports (score = raw - late penalty) equals grades.csv."""
    rows = h.grades(messy["out"])
    with sqlite3.connect(messy["out"] / "gradebook.db") as db:
        stored = dict(db.execute(
            "select sa.student_id, max(0, coalesce(sum(coalesce(g.manual_score, g.auto_score, 0))"
            ", 0) - sn.late_submission_penalty) "
            "from submitted_assignment sa join submitted_notebook sn on sn.assignment_id = sa.id "
            "join grade g on g.notebook_id = sn.id group by sa.student_id"))
    graded = {k: float(v["score"]) for k, v in rows.items() if v["status"] == "graded"}
    assert stored == pytest.approx(graded)
