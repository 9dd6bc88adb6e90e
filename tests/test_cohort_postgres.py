"""The gradebook on a real PostgreSQL server, started for these tests from Debian's binaries.

Both URL forms work (``postgresql+psycopg2://`` and ``postgresql+psycopg://``; a plain
``postgresql://`` uses psycopg 3); ``nbgrader export`` on that gradebook agrees with grades.csv.
"""

from __future__ import annotations

import csv
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import cohort_helpers as h
import pytest

pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A throwaway server on a free port; yields a function making a fresh database URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("PostgreSQL binaries are missing (/usr/lib/postgresql/*/bin); "
                    "`make system-deps` installs them")
    bindir = Path(found[-1]).parent
    base = Path(tempfile.mkdtemp(prefix="pwc-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        account = next((n for n in ("postgres", "nobody") if _user(n)), None)
        if account is None or shutil.which("runuser") is None:
            pytest.skip("running as root without a 'postgres' user or runuser")
        entry = pwd.getpwnam(account)
        os.chown(base, entry.pw_uid, entry.pw_gid)
        prefix = ["runuser", "-u", account, "--"]
    data, port = base / "data", _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--no-sync")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-o",
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    count = [0]

    def new_database(driver: str = "psycopg2") -> str:
        import psycopg

        count[0] += 1
        name = f"cohort{count[0]}"
        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        scheme = "postgresql" if driver == "" else f"postgresql+{driver}"
        return f"{scheme}://postgres@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def _user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    ex = h.load(h.EX01)
    tmp = tmp_path_factory.mktemp("pg")
    expected = {}
    for wrong in range(5):
        answers, score = h.answers_with_wrong(ex, wrong)
        learner = f"learner{wrong}" if wrong else "Zoë O'Brien"
        h.nbgrader_submission(tmp / "submitted", learner, ex, h.notebook(ex, answers))
        expected[learner] = score
    h.nbgrader_submission(tmp / "submitted", "broken", ex, b"{")
    return tmp / "submitted", expected


def _stored(url: str) -> dict[str, float]:
    from grader.cohort.nbgrader_store import open_gradebook

    gradebook = open_gradebook(url)
    try:
        return {s.student.id: s.score - s.late_submission_penalty
                for s in gradebook.assignment_submissions(h.EX01)}
    finally:
        gradebook.close()


@pytest.mark.parametrize("driver", ["psycopg2", "psycopg", ""])
def test_grades_land_in_postgresql_once(postgres, cohort, tmp_path, driver):
    submitted, expected = cohort
    url = postgres(driver)
    assert h.grade(h.EX01, submitted, "--out", tmp_path / "out", "--db", url) == 2
    assert not (tmp_path / "out" / "gradebook.db").exists()
    assert _stored(url) == expected
    assert h.grade(h.EX01, submitted, "--out", tmp_path / "out", "--db", url) == 2
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        count = conn.execute(text("select count(*) from submitted_assignment")).scalar()
    engine.dispose()
    assert count == len(expected)


def test_nbgrader_export_agrees_with_grades_csv(postgres, cohort, tmp_path):
    submitted, expected = cohort
    url = postgres("psycopg2")
    out = tmp_path / "out"
    assert h.grade(h.EX01, submitted, "--out", out, "--db", url) == 2
    export = tmp_path / "export.csv"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "export", "--db", url, "--to",
         str(export)], capture_output=True, text=True, env=h.cli_env(), cwd=tmp_path,
        timeout=180)
    assert result.returncode == 0, result.stderr
    with open(export, encoding="utf-8") as handle:
        exported = {r["student_id"]: float(r["score"]) for r in csv.DictReader(handle)
                    if r["assignment"] == h.EX01}
    graded = {k: float(v["score"]) for k, v in h.grades(out).items() if v["status"] == "graded"}
    assert exported == graded == expected


def test_an_unreachable_server_is_a_plain_error_without_the_password(cohort, tmp_path, capsys):
    submitted, _ = cohort
    url = f"postgresql+psycopg://someone:s3cret@127.0.0.1:{_free_port()}/nothing"
    assert h.grade(h.EX01, submitted, "--out", tmp_path / "out", "--db", url) == 1
    err = capsys.readouterr().err
    assert "Could not open the gradebook" in err
    assert "s3cret" not in err and "***" in err
