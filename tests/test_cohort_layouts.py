"""The four submission layouts, and unpacking LMS zips safely."""

from __future__ import annotations

import zipfile
from pathlib import Path

import cohort_helpers as h
import pytest

from grader.cohort.intake import detect_layout, flat_learner_id, unnamed_problem
from grader.cohort.zipsafe import ZipLimits, ZipRefused, safe_member_path, unpack


@pytest.fixture(scope="module")
def notebooks(ex):
    """Three learners: full marks, one wrong, three wrong; with their scores."""
    made = {}
    for wrong in (0, 1, 3):
        answers, score = h.answers_with_wrong(ex, wrong)
        made[wrong] = (h.notebook(ex, answers), score)
    return made


def _check(out: Path, expected: dict[str, float], names: dict[str, str] | None = None) -> None:
    rows = h.grades(out)
    assert {k: float(v["score"]) for k, v in rows.items()} == expected
    assert {v["status"] for v in rows.values()} == {"graded"}
    for learner, name in (names or {}).items():
        assert rows[learner]["name"] == name


def test_nbgrader_submitted_folder(tmp_path, ex, notebooks):
    course = tmp_path / "course"
    for number, (data, _) in notebooks.items():
        h.nbgrader_submission(course / "submitted", f"learner{number}", ex, data)
    # the course folder itself is accepted too: its submitted/ is found
    assert h.grade(h.EX01, course, "--out", tmp_path / "out", "-j", "1") == 0
    _check(tmp_path / "out", {f"learner{n}": s for n, (_, s) in notebooks.items()})


def test_flat_folder_ids_come_from_file_names(tmp_path, ex, notebooks):
    flat = tmp_path / "flat"
    names = {0: "jsmith.ipynb", 1: "Priya Patel - ex01_classify_posts.ipynb",
             3: "ex01_classify_posts_tomas.ipynb"}
    for number, (data, _) in notebooks.items():
        h.write_nb(flat / names[number], data)
    assert h.grade(h.EX01, flat, "--out", tmp_path / "out", "-j", "2") == 0
    _check(tmp_path / "out", {"jsmith": notebooks[0][1], "Priya Patel": notebooks[1][1],
                              "tomas": notebooks[3][1]})


def test_moodle_zip_folders_and_flat_files(tmp_path, ex, notebooks):
    src = tmp_path / "moodle"
    h.write_nb(src / "Ada Lovelace_101_assignsubmission_file_" / "ex01_classify_posts.ipynb",
               notebooks[0][0])
    h.write_nb(src / "Ben Okafor_102_assignsubmission_file_" / "my work.ipynb", notebooks[1][0])
    (src / "Ben Okafor_102_assignsubmission_onlinetext_").mkdir()
    (src / "Ben Okafor_102_assignsubmission_onlinetext_" / "onlinetext.html").write_text("hi")
    # Moodle without folders puts the prefix on each file
    h.write_nb(src / "Chloé Ng_103_assignsubmission_file_ex01_classify_posts.ipynb",
               notebooks[3][0])
    archive = h.zip_folder(src, tmp_path / "download.zip")
    out = tmp_path / "out"
    assert h.grade(h.EX01, archive, "--out", out) == 0
    _check(out, {"101": notebooks[0][1], "102": notebooks[1][1], "103": notebooks[3][1]},
           {"101": "Ada Lovelace", "102": "Ben Okafor", "103": "Chloé Ng"})
    worksheet = (out / "lms" / "moodle-grading-worksheet.csv").read_text(encoding="utf-8")
    assert f"Participant 101,Ada Lovelace,,Submitted for grading - Graded,{notebooks[0][1]:g}," \
           f"{ex.max_score:g}" in worksheet


def test_canvas_zip_with_late_flag(tmp_path, ex, notebooks):
    src = tmp_path / "canvas"
    h.write_nb(src / "lovelaceada_2001_9001_ex01_classify_posts.ipynb", notebooks[0][0])
    h.write_nb(src / "okaforben_LATE_2002_9002_ex01_classify_posts-1.ipynb", notebooks[1][0])
    h.write_nb(src / "ngchloe_2003_9003_answers.ipynb", notebooks[3][0])
    archive = h.zip_folder(src, tmp_path / "submissions.zip")
    out = tmp_path / "out"
    assert h.grade(h.EX01, archive, "--out", out) == 0
    _check(out, {"2001": notebooks[0][1], "2002": notebooks[1][1], "2003": notebooks[3][1]},
           {"2001": "lovelaceada"})
    rows = h.grades(out)
    assert "Canvas marked this submission as late" in rows["2002"]["notes"]
    gradebook_csv = (out / "lms" / "canvas-gradebook.csv").read_text(encoding="utf-8")
    lines = gradebook_csv.splitlines()
    assert lines[0] == f"Student,ID,SIS User ID,SIS Login ID,Section,{h.EX01}"
    assert lines[1] == f"Points Possible,,,,,{ex.max_score:g}"
    assert f"lovelaceada,2001,,,,{notebooks[0][1]:g}" in lines


def test_layout_detection(tmp_path):
    (tmp_path / "a" / "alice" / "ex01_classify_posts").mkdir(parents=True)
    assert detect_layout(tmp_path / "a", "ex01_classify_posts") == "nbgrader"
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "smithjo_12_34_ex01.ipynb").write_text("{}")
    assert detect_layout(tmp_path / "b", "ex01_classify_posts") == "canvas"
    (tmp_path / "c" / "Jo Smith_12_assignsubmission_file_").mkdir(parents=True)
    assert detect_layout(tmp_path / "c", "ex01_classify_posts") == "moodle"
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "jo.ipynb").write_text("{}")
    assert detect_layout(tmp_path / "d", "ex01_classify_posts") == "flat"


@pytest.mark.parametrize(("file_name", "learner"), [
    ("jsmith.ipynb", "jsmith"),
    ("jsmith (1).ipynb", "jsmith"),
    ("Jo  Smith_ex01_classify_posts.ipynb", "Jo Smith"),
    ("Zoë O'Brien.ipynb", "Zoë O'Brien"),
])
def test_flat_learner_ids(file_name, learner):
    assert flat_learner_id(file_name, "ex01_classify_posts") == learner


@pytest.mark.parametrize(("name", "safe"), [
    ("a/b.ipynb", "a/b.ipynb"),
    ("./a/./b.ipynb", "a/b.ipynb"),
    ("../b.ipynb", None),
    ("a/../../b.ipynb", None),
    ("/etc/passwd", None),
    ("C:/Windows/x.ipynb", None),
    ("a\\..\\..\\b.ipynb", None),
    ("", None),
])
def test_member_paths(name, safe):
    result = safe_member_path(name)
    assert (str(result) if result else None) == safe


def test_unpack_refuses_escaping_members_and_links(tmp_path):
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ok/a.ipynb", "{}")
        z.writestr("../evil.ipynb", "{}")
        z.writestr("/abs.ipynb", "{}")
        link = zipfile.ZipInfo("ok/link.ipynb")
        link.external_attr = (0o120777 << 16)
        z.writestr(link, "/etc/passwd")
    dest = tmp_path / "dest"
    result = unpack(archive, dest)
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == \
        ["ok/a.ipynb"]
    assert {r.name for r in result.rejected} == {"../evil.ipynb", "/abs.ipynb", "ok/link.ipynb"}
    assert not (tmp_path / "evil.ipynb").exists()


def test_unpack_caps_a_member_that_expands_too_much(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("fine.ipynb", "{}")
        z.writestr("bomb.ipynb", bytes(8 << 20))
    result = unpack(archive, tmp_path / "d", ZipLimits(max_member_bytes=4 << 20))
    assert [r.name for r in result.rejected] == ["bomb.ipynb"]
    assert "zip bomb" in result.rejected[0].reason
    assert (tmp_path / "d" / "fine.ipynb").exists()
    assert not (tmp_path / "d" / "bomb.ipynb").exists()


def test_unpack_counts_real_bytes_not_declared_sizes(tmp_path):
    """A header that under-declares the size cannot sneak more bytes past the caps."""
    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        z.writestr("liar.ipynb", bytes(3 << 20))
    data = bytearray(archive.read_bytes())
    small = (1 << 10).to_bytes(4, "little")
    for marker, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(marker)
        data[at + offset: at + offset + 4] = small
    archive.write_bytes(bytes(data))
    result = unpack(archive, tmp_path / "d", ZipLimits(max_member_bytes=2 << 20))
    assert [r.name for r in result.rejected] == ["liar.ipynb"]
    written = tmp_path / "d" / "liar.ipynb"
    assert not written.exists() or written.stat().st_size <= 2 << 20


def test_unpack_refuses_a_zip_that_expands_beyond_the_total(tmp_path):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(5):
            z.writestr(f"f{n}.ipynb", bytes(1 << 20))
    with pytest.raises(ZipRefused, match="zip bomb"):
        unpack(archive, tmp_path / "d", ZipLimits(max_total_bytes=3 << 20))


def test_unpack_refuses_overlapping_entries(tmp_path):
    """The non-recursive zip bomb: many directory entries pointing at the same data."""
    archive = tmp_path / "overlap.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.ipynb", bytes(1 << 16))
    data = archive.read_bytes()
    start = data.find(b"PK\x01\x02")
    end = data.find(b"PK\x05\x06")
    entry = data[start:end]
    twin = entry.replace(b"a.ipynb", b"b.ipynb")
    eocd = bytearray(data[end:])
    eocd[8:10] = (2).to_bytes(2, "little")
    eocd[10:12] = (2).to_bytes(2, "little")
    eocd[12:16] = (2 * len(entry)).to_bytes(4, "little")
    archive.write_bytes(data[:start] + entry + twin + bytes(eocd))
    with pytest.raises(ZipRefused, match="zip bomb"):
        unpack(archive, tmp_path / "d")


def test_unpack_refuses_too_many_members(tmp_path):
    archive = tmp_path / "lots.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for n in range(30):
            z.writestr(f"f{n}.txt", "")
    with pytest.raises(ZipRefused, match="entries"):
        unpack(archive, tmp_path / "d", ZipLimits(max_members=20))


def test_a_whole_zip_bomb_as_the_only_source_is_a_plain_fatal_error(tmp_path, capsys):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(3):
            z.writestr(f"f{n}.ipynb", bytes(2 << 20))
    status = h.grade(h.EX01, archive, "--out", tmp_path / "out", "--max-zip-mb", "4")
    assert status == 1
    assert "zip bomb" in capsys.readouterr().err


def test_zipped_nbgrader_folders_with_one_learner_or_a_wrapper(tmp_path, ex, notebooks):
    lone = tmp_path / "lone"
    h.nbgrader_submission(lone, "alice", ex, notebooks[1][0])
    assert h.grade(h.EX01, h.zip_folder(lone, tmp_path / "lone.zip"), "--out",
                   tmp_path / "out1") == 0
    _check(tmp_path / "out1", {"alice": notebooks[1][1]})
    wrapped = tmp_path / "wrapped"
    for number, (data, _) in notebooks.items():
        h.nbgrader_submission(wrapped / "course" / "submitted", f"l{number}", ex, data)
    assert h.grade(h.EX01, h.zip_folder(wrapped, tmp_path / "wrapped.zip"), "--out",
                   tmp_path / "out2") == 0
    _check(tmp_path / "out2", {f"l{n}": s for n, (_, s) in notebooks.items()})


@pytest.mark.parametrize("file_name", [
    "ex01_classify_posts.ipynb",  # as the course tells every learner to keep it
    "ex01_classify_posts (1).ipynb",
    "EX01 Classify Posts.ipynb",
    "ex01 classify posts FINAL v2 (copy) ~ Dr O'Neil.ipynb",
    "Copy of jsmith.ipynb",
    "jsmith final.ipynb",
])
def test_file_names_that_cannot_name_a_learner(file_name):
    problem = unnamed_problem(file_name, "ex01_classify_posts")
    assert problem and repr(file_name) in problem
    assert "Rename the file to the learner's id" in problem


@pytest.mark.parametrize("file_name", ["jsmith.ipynb", "Priya Patel - ex01_classify_posts.ipynb",
                                       "ex01_classify_posts_tomas.ipynb", "12345.ipynb",
                                       "Zoë O'Brien.ipynb", "Newman.ipynb"])
def test_file_names_that_name_a_learner(file_name):
    assert unnamed_problem(file_name, "ex01_classify_posts") is None


def test_a_flat_file_named_after_the_exercise_is_a_problem_naming_the_file(tmp_path, ex,
                                                                          notebooks):
    flat = tmp_path / "flat"
    h.write_nb(flat / "jsmith.ipynb", notebooks[0][0])
    h.write_nb(flat / "ex01_classify_posts.ipynb", notebooks[1][0])
    h.write_nb(flat / "ex01 classify posts FINAL v2 (copy) ~ Dr O'Neil.ipynb", notebooks[3][0])
    out = tmp_path / "out"
    done = h.run_cli(h.EX01, flat, "--out", out)
    assert done.returncode == 2, done.stderr
    rows = h.grades(out)
    assert rows["jsmith"]["status"] == "graded"
    named = rows["ex01_classify_posts.ipynb"]
    assert named["status"] == "problem" and named["score"] == ""
    assert "'ex01_classify_posts.ipynb' is named after the exercise" in named["problem"]
    noisy = rows["ex01 classify posts FINAL v2 (copy) ~ Dr O'Neil.ipynb"]
    assert noisy["status"] == "problem"
    assert "\u201cFINAL\u201d, \u201cv2\u201d, \u201ccopy\u201d" in noisy["problem"]
    assert "ex01_classify_posts" not in {r["learner"] for r in rows.values()}
    assert "Could not be graded: ex01 classify posts FINAL v2 (copy) ~ Dr O'Neil.ipynb, " \
           "ex01_classify_posts.ipynb." in done.stderr


def test_a_flat_folder_writes_no_lms_files_and_says_so(tmp_path, ex, notebooks):
    out = tmp_path / "out"
    (out / "lms").mkdir(parents=True)
    (out / "lms" / "moodle-grading-worksheet.csv").write_text("stale", encoding="utf-8")
    flat = tmp_path / "flat"
    h.write_nb(flat / "Priya Patel - ex01_classify_posts.ipynb", notebooks[0][0])
    h.write_nb(flat / "bkhan.ipynb", notebooks[1][0])
    done = h.run_cli(h.EX01, flat, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "WARNING: No LMS upload files were written" in done.stderr
    assert "no Moodle or Canvas identifiers" in done.stderr
    assert not list((out / "lms").glob("*.csv")), "an LMS file that matches nobody was left"
    assert "No LMS upload files were written" in (out / "report.html").read_text("utf-8")
    assert h.grades(out)["Priya Patel"]["status"] == "graded"


def test_flat_learners_are_left_out_of_another_layouts_lms_files(tmp_path, ex, notebooks):
    moodle = tmp_path / "moodle"
    h.write_nb(moodle / "Ada Lovelace_101_assignsubmission_file_" / "ex01_classify_posts.ipynb",
               notebooks[0][0])
    flat = tmp_path / "late"
    h.write_nb(flat / "bkhan.ipynb", notebooks[1][0])
    out = tmp_path / "out"
    done = h.run_cli(h.EX01, moodle, flat, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "The LMS upload files leave out 1 learner from a folder" in done.stderr
    worksheet = (out / "lms" / "moodle-grading-worksheet.csv").read_text(encoding="utf-8")
    assert "Participant 101" in worksheet and "bkhan" not in worksheet


def test_a_learner_marking_their_own_file_keeps_its_name(tmp_path, ex, notebooks):
    """The learner app marks the learner's copy, which keeps the exercise's file name."""
    from grader.cohort.pipeline import Options, run

    attempt = tmp_path / "attempt-1"
    h.write_nb(attempt / ex.notebook_name, notebooks[1][0])
    out = tmp_path / "marking"
    assert run(Options(assignment_id=h.EX01, sources=[attempt], out=out, gradebook=False,
                       jobs=1, layout="flat", progress=False, quiet=True, own_work=True)) == 0
    (row,) = h.grades(out).values()
    assert row["status"] == "graded" and float(row["score"]) == notebooks[1][1]
    page = (out / row["feedback"]).read_text(encoding="utf-8")
    assert "Feedback for" not in page
    assert not (out / "lms").exists() or not list((out / "lms").glob("*.csv"))
