"""Certificates signed by the provider: made from real cohort runs (``python -m grader grade``)
of exercises 1 and 2, signed with a key pair made by the command, checked by the command.

A forged name, date, CPD time or score is rejected (in the signed details, and in what the
PDF shows); so is a wrong public key; a learner below the pass mark gets nothing; a
pseudonymised run issues nothing. PDF text is extracted with pypdf and the first page of each
certificate is rendered to ``test-artifacts/certificates/`` with pdftoppm (look at them).
"""

from __future__ import annotations

import csv
import os
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import cohort_helpers as h  # noqa: E402
import pytest
from pypdf import PdfReader

from course import pdf
from grader.__main__ import main as grader_main
from grader.certificates import claims as claims_mod
from grader.certificates import document
from grader.certificates.claims import Claims, decode, encode
from grader.certificates.keys import load_private, load_public
from grader.certificates.results import PassMark, Result, ResultsFolder, decide
from grader.certificates.verify import check_code, check_pdf
from grader.exercise import load_exercise

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("PWC_ARTIFACTS", ROOT / "test-artifacts")) / "certificates"
PROVIDER = "Northfield Counselling Training"
ISSUED = "2026-12-01"
# name → wrong answers in each exercise (ex01 has 26 points, ex02 33; 70% is 18.2 and 23.1)
EX1_POINTS = int(load_exercise("ex01_classify_posts").max_score)
EX2_POINTS = int(load_exercise("ex02_rules_and_responses").max_score)
EX_MINUTES = sum(load_exercise(a).key.minutes
                 for a in ("ex01_classify_posts", "ex02_rules_and_responses"))
LEARNERS = {"Zoë Ó Súilleabháin": 0, "زينب الحسيني": 2, "王小明": 7, "Ahmed Khan": 12}
PASSED = ["Zoë Ó Súilleabháin", "زينب الحسيني", "王小明"]

pytestmark = pytest.mark.skipif(pdf.unavailable_reason() is not None,
                                reason="certificates are PDFs, and PDFs cannot be made here")


def certificates(*args: str | Path) -> int:
    return grader_main(["certificates", *[str(a) for a in args]])


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Moodle downloads of exercises 1 and 2 graded by the real cohort command, named and
    pseudonymised, plus an nbgrader submission that carries no name."""
    tmp = tmp_path_factory.mktemp("cohort")
    folders = {}
    for eid in (h.EX01, h.EX02):
        ex = h.load(eid)
        src = tmp / f"moodle-{eid}"
        for i, (name, wrong) in enumerate(LEARNERS.items()):
            answers, _ = h.answers_with_wrong(ex, wrong)
            h.write_nb(src / f"{name}_48173{i:02d}_assignsubmission_file_" / ex.notebook_name,
                       h.notebook(ex, answers))
        assert h.grade(eid, src, "--out", tmp / eid, "--no-gradebook") == 0
        folders[eid] = tmp / eid
        nameless = tmp / f"nbgrader-{eid}"
        h.nbgrader_submission(nameless, "jsmith", ex, h.notebook(ex, h.key_answers(ex)))
        assert h.grade(eid, nameless, "--out", tmp / f"nameless-{eid}", "--no-gradebook") == 0
        folders[f"nameless-{eid}"] = tmp / f"nameless-{eid}"
    assert h.grade(h.EX01, tmp / f"moodle-{h.EX01}", "--out", tmp / "pseudo",
                   "--no-gradebook", "--pseudonymise") == 0
    folders["pseudo"] = tmp / "pseudo"
    return folders


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    assert certificates("keygen", folder / "provider.key") == 0
    assert certificates("keygen", folder / "other.key") == 0
    return {"private": folder / "provider.key", "public": folder / "provider.pub",
            "other_private": folder / "other.key", "other": folder / "other.pub"}


@pytest.fixture(scope="module")
def issued(cohort: dict[str, Path], keys: dict[str, Path],
           tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("issued") / "certificates"
    status = certificates(cohort[h.EX01], cohort[h.EX02], "--pass-mark", "70%",
                          "--key", keys["private"], "--provider", PROVIDER, "--out", out,
                          "--date", ISSUED, "--verify-url", "https://northfield.example/check")
    assert status == 0
    return out


def register(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "certificates.csv", encoding="utf-8", newline="") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


def certificate_of(out: Path, name: str) -> Path:
    return out / register(out)[name]["file"]


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the key pair -----------------------------------------------------------------------------
def test_keygen_makes_an_owner_only_private_key_and_a_public_key(keys: dict[str, Path]) -> None:
    assert mode(keys["private"]) == 0o600
    assert keys["private"].read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert keys["public"].read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    load_private(keys["private"])
    load_public(keys["public"])


def test_keygen_never_overwrites_and_never_writes_into_git_or_a_learners_folder(
    keys: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = keys["private"].read_bytes()
    assert certificates("keygen", keys["private"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert keys["private"].read_bytes() == before
    inside = ROOT / "provider-test.key"
    assert certificates("keygen", inside) == 1
    assert "inside a git repository" in capsys.readouterr().err
    assert not inside.exists() and not inside.with_suffix(".pub").exists()
    learner = tmp_path / "learner-private"
    monkeypatch.setenv("POSTING_WITH_CARE_HOME", str(learner))
    assert certificates("keygen", learner / "provider.key") == 1
    assert "a learner's private folder" in capsys.readouterr().err
    assert not learner.exists()


def test_git_ignores_private_keys() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", "keys/provider.key"], cwd=ROOT,
                             timeout=30)
    assert ignored.returncode == 0


def test_a_private_key_others_can_read_is_refused(
    keys: dict[str, Path], cohort: dict[str, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    loose = tmp_path / "loose.key"
    shutil.copy(keys["private"], loose)
    loose.chmod(0o644)
    assert certificates(cohort[h.EX01], "--pass-mark", "70%", "--key", loose, "--provider",
                        PROVIDER, "--out", tmp_path / "out") == 1
    assert "can be read by other people" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_private_key_cannot_sit_in_the_certificates_folder(
    keys: dict[str, Path], cohort: dict[str, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(keys["private"], out / "provider.key")
    assert certificates(cohort[h.EX01], "--pass-mark", "70%", "--key", out / "provider.key",
                        "--provider", PROVIDER, "--out", out) == 1
    assert "which goes to learners" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["provider.key"]


# --- who gets a certificate -------------------------------------------------------------------
def test_only_learners_at_or_above_the_pass_mark_get_a_certificate(issued: Path) -> None:
    rows = register(issued)
    assert sorted(rows) == sorted(LEARNERS)
    for name in PASSED:
        assert rows[name]["certificate"] == "issued"
        assert rows[name]["number"].startswith("PWC-")
        assert mode(issued / rows[name]["file"]) == 0o600
    below = rows["Ahmed Khan"]
    assert below["certificate"] == "not issued" and below["file"] == ""
    expected = (f"below the pass mark of 70% in ex01_classify_posts "
                f"({EX1_POINTS - 12} of {EX1_POINTS})")
    assert expected in below["reason"]
    assert sorted(p.name for p in issued.glob("*.pdf")) == sorted(
        rows[name]["file"] for name in PASSED)
    assert mode(issued) == 0o700


def test_a_pseudonymised_run_cannot_issue_named_certificates(
    cohort: dict[str, Path], keys: dict[str, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    assert certificates(cohort["pseudo"], "--pass-mark", "70%", "--key", keys["private"],
                        "--provider", PROVIDER, "--out", out) == 1
    err = capsys.readouterr().err
    assert "graded with --pseudonymise" in err and "cannot issue named certificates" in err
    assert not out.exists()
    # also when run.json is gone: grades.csv has no names
    (cohort["pseudo"] / "run.json").rename(cohort["pseudo"] / "run.json.bak")
    try:
        assert certificates(cohort["pseudo"], "--pass-mark", "70%", "--key", keys["private"],
                            "--provider", PROVIDER, "--out", out) == 1
    finally:
        (cohort["pseudo"] / "run.json.bak").rename(cohort["pseudo"] / "run.json")
    assert "cannot issue named certificates" in capsys.readouterr().err and not out.exists()


def test_a_learner_without_a_name_needs_a_names_file(
    cohort: dict[str, Path], keys: dict[str, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sources = [cohort[f"nameless-{h.EX01}"], cohort[f"nameless-{h.EX02}"]]
    common = ["--pass-mark", "70%", "--key", keys["private"], "--provider", PROVIDER]
    out = tmp_path / "out"
    assert certificates(*sources, *common, "--out", out) == 2
    assert "jsmith: the results give no name" in capsys.readouterr().err
    assert list(out.glob("*.pdf")) == []
    names = tmp_path / "names.csv"
    names.write_text("learner,name\njsmith,Jo Smith-Ørsted\n", encoding="utf-8")
    assert certificates(*sources, *common, "--out", out, "--names", names) == 0
    assert "Jo Smith-Ørsted" in text_of(certificate_of(out, "Jo Smith-Ørsted"))


def _folder(exercise: str, **rows: Result) -> ResultsFolder:
    return ResultsFolder(Path(exercise), exercise, rows)


@pytest.mark.parametrize(("ex1", "ex2", "reason"), [
    (Result("ex01", "graded", 17, 24, "A"), None, "no result for ex02"),
    (Result("ex01", "problem", None, 24, "A"), Result("ex02", "graded", 27, 27, "A"),
     "could not be graded in ex01"),
    (Result("ex01", "graded", 24, 24, "A"), Result("ex02", "to mark", 20, 27, "A"),
     "written parts still to be marked in ex02"),
    (Result("ex01", "graded", 16.5, 24, "A"), Result("ex02", "graded", 27, 27, "A"),
     "below the pass mark of 70% in ex01 (16.5 of 24)"),
    (Result("ex01", "graded", 24, 24, "A"), Result("ex02", "graded", 27, 27, "B"),
     "the results give different names (A / B)"),
    (Result("ex01", "graded", 16.8, 24, "A"), Result("ex02", "graded", 18.9, 27, "A"), ""),
])
def test_decisions(ex1: Result, ex2: Result | None, reason: str) -> None:
    folders = [_folder("ex01", learner=ex1), _folder("ex02", **({"learner": ex2} if ex2 else {}))]
    (decision,) = decide(folders, PassMark.parse("70%"), {})
    assert decision.reason.startswith(reason) and decision.issue == (reason == "")


def test_a_command_line_that_cannot_be_understood_exits_with_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        certificates("--pass-mark", "70%")
    assert stopped.value.code == 1 and "required" in capsys.readouterr().err


def test_a_second_run_removes_certificates_no_longer_earned(
    cohort: dict[str, Path], keys: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    common = ["--key", keys["private"], "--provider", PROVIDER, "--out", out]
    assert certificates(cohort[h.EX01], "--pass-mark", "70%", *common) == 0
    assert len(list(out.glob("*.pdf"))) == 3
    assert certificates(cohort[h.EX01], "--pass-mark", "95%", *common) == 0
    assert [register(out)[name]["certificate"] for name in LEARNERS] == [
        "issued", "not issued", "not issued", "not issued"]
    assert [p.name for p in out.glob("*.pdf")] == [register(out)[PASSED[0]]["file"]]


@pytest.mark.parametrize("text", ["70", "0%", "101%", "seventy", ""])
def test_a_pass_mark_must_be_a_percentage(text: str) -> None:
    with pytest.raises(ValueError, match="not a percentage"):
        PassMark.parse(text)


# --- the PDF ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PASSED)
def test_the_pdf_is_a4_tagged_and_shows_every_claim(issued: Path, name: str) -> None:
    path = certificate_of(issued, name)
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.metadata.title
    text = text_of(path)
    wrong = LEARNERS[name]
    for expected in (name, PROVIDER, "Posting with Care", "Certificate of assessed CPD",
                     "reached the pass mark of 70% in each of the exercises of Posting with Care "
                     "listed below",
                     "It covers the exercises listed, and no other",
                     "Issued on 1 December 2026",
                     "CPD time 1 hour 35 minutes",  # the two exercises' 40 + 55 minutes
                     f"Exercise 1: Acceptable or not? {EX1_POINTS - wrong} out of {EX1_POINTS}",
                     f"Exercise 2: Which rule, and what would you do? {EX2_POINTS - wrong} out of "
                     f"{EX2_POINTS}",
                     register(issued)[name]["number"], "https://northfield.example/check"):
        assert expected in text, expected
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / f"certificate-{['latin', 'arabic', 'chinese'][PASSED.index(name)]}"
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(prefix)], check=True, timeout=60)
    assert prefix.with_suffix(".png").stat().st_size > 20_000


def test_what_is_signed_is_exactly_what_the_certificate_says(issued: Path) -> None:
    code, _ = __import__("grader.certificates.verify", fromlist=["read_pdf"]).read_pdf(
        certificate_of(issued, "王小明"))
    claims, payload, signature = decode(code)
    assert len(signature) == 64
    assert claims.name == "王小明" and claims.provider == PROVIDER
    assert claims.issued == date(2026, 12, 1) and claims.cpd_minutes == EX_MINUTES
    assert [(e.id, e.score, e.max, e.minutes) for e in claims.exercises] == [
        ("ex01_classify_posts", EX1_POINTS - 7, EX1_POINTS, 40),
        ("ex02_rules_and_responses", EX2_POINTS - 7, EX2_POINTS, 55)]
    assert document.qr_target(claims, code) == f"https://northfield.example/check#{code}"


def test_a_certificate_for_part_of_the_course_says_so(
        cohort: dict[str, Path], keys: dict[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """One exercise of three: the certificate claims only that exercise, and the command says
    plainly that the others were not given (and still issues, signs and verifies)."""
    out = tmp_path / "one"
    assert certificates(cohort[h.EX01], "--pass-mark", "70%", "--key", keys["private"],
                        "--provider", PROVIDER, "--out", out, "--date", ISSUED) == 0
    said = capsys.readouterr().err
    assert "Note: these certificates cover only the exercise given (ex01_classify_posts), " \
           "not the whole course: Exercise 2: Which rule, and what would you do?, Exercise 3:" \
           in said and "were not given" in said
    path = certificate_of(out, PASSED[0])
    text = text_of(path)
    assert "reached the pass mark of 70% in the exercise of Posting with Care listed below" \
        in text
    assert "It covers the exercise listed, and no other" in text
    assert "each assessed exercise" not in text and "Exercise 2" not in text
    assert "CPD time 40 minutes" in text
    assert check_pdf(path, load_public(keys["public"]))


def test_the_exercises_not_given_are_named_from_the_course() -> None:
    from grader.certificates.cli import course_exercises_not_given
    from grader.exercise import exercise_ids

    assert course_exercises_not_given(exercise_ids()) == []
    assert course_exercises_not_given([h.EX01, h.EX02]) == [
        f"Exercise 3: {load_exercise('ex03_social_media_policy').title}"]


# --- checking ---------------------------------------------------------------------------------
def run_verify(target: str | Path, public: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", "certificates", "verify", str(target),
                           "--public-key", str(public)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


@pytest.mark.parametrize("name", PASSED)
def test_a_genuine_certificate_verifies(issued: Path, keys: dict[str, Path], name: str) -> None:
    verdict = check_pdf(certificate_of(issued, name), load_public(keys["public"]))
    assert verdict, verdict.message
    assert f"Name:      {name}" in verdict.message


def test_the_verify_command(issued: Path, keys: dict[str, Path]) -> None:
    path = certificate_of(issued, "Zoë Ó Súilleabháin")
    done = run_verify(path, keys["public"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Verified: certificate PWC-")
    code, _ = __import__("grader.certificates.verify", fromlist=["read_pdf"]).read_pdf(path)
    assert run_verify(f"https://northfield.example/check#{code}", keys["public"]).returncode == 0
    wrong = run_verify(path, keys["other"])
    assert wrong.returncode == 1 and "signature does not match" in wrong.stdout
    private = run_verify(path, keys["private"])
    assert private.returncode == 1 and "is a private key" in private.stderr
    assert "Traceback" not in wrong.stderr + private.stderr


def test_a_wrong_public_key_is_rejected(issued: Path, keys: dict[str, Path]) -> None:
    verdict = check_pdf(certificate_of(issued, "زينب الحسيني"), load_public(keys["other"]))
    assert not verdict and "signature does not match" in verdict.message


FORGERIES = {
    "name": {"name": "Zoe O Sullivan"},
    "date": {"issued": date(2025, 1, 1)},
    "hours": {"cpd_minutes": 600},
    "score": "score",
    "provider": {"provider": "Another Provider"},
}


def forge(claims: Claims, what: str) -> Claims:
    change = FORGERIES[what]
    if change == "score":
        first = claims.exercises[0].model_copy(update={"score": 24})
        return claims.model_copy(update={"exercises": (first, *claims.exercises[1:])})
    return claims.model_copy(update=change)


@pytest.fixture
def genuine(issued: Path) -> tuple[Path, str, Claims, bytes]:
    from grader.certificates.verify import read_pdf

    path = certificate_of(issued, "王小明")  # 17 of 24: a forged score is a higher one
    code, _ = read_pdf(path)
    claims, _, signature = decode(code)
    return path, code, claims, signature


@pytest.mark.parametrize("what", sorted(FORGERIES))
def test_forged_signed_details_are_rejected(
    genuine: tuple[Path, str, Claims, bytes], keys: dict[str, Path], tmp_path: Path, what: str
) -> None:
    """The details are changed and re-encoded with the original signature, in a PDF that shows
    the forged details: the signature no longer matches."""
    _, _, claims, signature = genuine
    forged = forge(claims, what)
    forged = forged.model_copy(update={"number": claims_mod.certificate_number(forged)})
    code = encode(forged, signature)
    key = load_public(keys["public"])
    assert not check_code(code, key)
    path = tmp_path / "forged.pdf"
    path.write_bytes(document.to_pdf(forged, code))
    verdict = check_pdf(path, key)
    assert not verdict and "signature does not match" in verdict.message
    # keeping the old certificate number does not help either
    stale = encode(forge(claims, what), signature)
    assert not check_code(stale, key)


@pytest.mark.parametrize("what", sorted(FORGERIES))
def test_a_pdf_whose_text_was_edited_is_rejected(
    genuine: tuple[Path, str, Claims, bytes], keys: dict[str, Path], tmp_path: Path, what: str
) -> None:
    """The PDF shows forged details but carries the genuine signed text: caught by comparing
    what the PDF shows with what was signed."""
    _, code, claims, _ = genuine
    shown = forge(claims, what)
    path = tmp_path / "edited.pdf"
    path.write_bytes(pdf.to_pdf(document.render(shown, code), attachments=(
        pdf.Attachment(document.ATTACHMENT, code, "copied from a genuine certificate"),)))
    verdict = check_pdf(path, load_public(keys["public"]))
    assert not verdict and "differs from what was signed" in verdict.message
    assert "王小明" in verdict.message  # it says what was signed


def test_someone_elses_genuine_code_in_another_pdf_is_rejected(
    issued: Path, keys: dict[str, Path], tmp_path: Path
) -> None:
    from grader.certificates.verify import read_pdf

    zoe_code, _ = read_pdf(certificate_of(issued, "Zoë Ó Súilleabháin"))
    wang_claims, _, _ = decode(read_pdf(certificate_of(issued, "王小明"))[0])
    path = tmp_path / "swapped.pdf"
    path.write_bytes(pdf.to_pdf(document.render(wang_claims, zoe_code), attachments=(
        pdf.Attachment(document.ATTACHMENT, zoe_code, "swapped"),)))
    assert not check_pdf(path, load_public(keys["public"]))


@pytest.mark.parametrize(("text", "message"), [
    ("hello", "not a Posting with Care verification text"),
    ("PWC1.e30.AAAA", "damaged"),
    ("PWC1.!!!.AAAA", "damaged"),
])
def test_codes_that_cannot_be_read_say_why(keys: dict[str, Path], text: str, message: str) -> None:
    verdict = check_code(text, load_public(keys["public"]))
    assert not verdict and message in verdict.message


def test_a_pdf_that_is_no_certificate_says_why(keys: dict[str, Path], tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf.to_pdf("<html><body><p>I did 200 hours of CPD.</p></body></html>"))
    verdict = check_pdf(plain, load_public(keys["public"]))
    assert not verdict and "carries no Posting with Care verification text" in verdict.message
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7 not really")
    verdict = check_pdf(junk, load_public(keys["public"]))
    assert not verdict and "not a readable PDF" in verdict.message
