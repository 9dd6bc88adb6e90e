"""The printable materials, typeset by the real WeasyPrint: the facilitator's guide and the
four handouts as PDFs whose extracted text holds the posts, verdicts and prompts themselves
(never code), with the first pages rendered to PNG in ``test-artifacts/print/`` (look at them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from course.catalogue import bank
from course.workshop import handouts, printables, sessions

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "print"

pytestmark = pytest.mark.slow


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} not found: run `make system-deps` (poppler-utils)")
    return found


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("weasyprint")
    out = tmp_path_factory.mktemp("print")
    written = printables.write_all(out)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdftoppm = _need("pdftoppm")
    for path in written:
        shutil.copy(path, ARTIFACTS / path.name)
        subprocess.run([pdftoppm, "-r", "60", "-png", "-f", "1", "-l", "2", str(path),
                        str(ARTIFACTS / path.stem)], check=True, timeout=120)
    return {path.name: path for path in written}


def text_of(path: Path) -> str:
    done = subprocess.run([_need("pdftotext"), "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def flat(text: str) -> str:
    """Words only, so that line breaks and hyphenation in the PDF don't matter."""
    return " ".join(re.sub(r"-\n\s*", "", text).split())


def words(text: str, count: int = 8) -> str:
    return " ".join(text.split()[:count])


def test_every_document_is_written_and_the_first_pages_pictured(printed: dict) -> None:
    assert set(printed) == {printables.GUIDE_FILE, *printables.HANDOUT_FILES.values()}
    for name, path in printed.items():
        assert path.read_bytes().startswith(b"%PDF-"), name
        first = sorted(ARTIFACTS.glob(f"{path.stem}-*1.png"))[0]
        assert first.stat().st_size > 5_000, name


def test_the_guide_holds_the_posts_verdicts_and_prompts(printed: dict) -> None:
    text = flat(text_of(printed[printables.GUIDE_FILE]))
    assert not re.search(r"show\.\w+\(", text), "code in the printed guide"
    for post in bank.posts().values():
        assert words(post.text) in text, post.id
        assert words(post.explanation, 6) in text, post.id
    assert "Not acceptable." in text and "Acceptable." in text
    for lesson in bank.lessons().values():
        assert f"Lesson {lesson.number}: {lesson.title}" in text
        for prompt in lesson.instructor.discussion:
            assert words(prompt) in text
        for timing in lesson.instructor.timings:
            assert words(timing.activity, 5) in text
    for response in bank.responses().values():
        assert words(response.situation) in text
    for session in sessions.ready_made().values():  # the ready-made sessions are listed
        assert words(session.description, 4) in text


def test_each_handout_holds_its_material(printed: dict) -> None:
    data = handouts.load()
    jigsaw = flat(text_of(printed[printables.HANDOUT_FILES["jigsaw"]]))
    for card in data.jigsaw.cards:
        assert words(card.text) in jigsaw and words(card.details[0], 5) in jigsaw
    role_play = flat(text_of(printed[printables.HANDOUT_FILES["role_play"]]))
    for scenario in data.role_play.scenarios:
        for part in (scenario.setting, scenario.counsellor, scenario.client):
            assert words(part) in role_play
    policy = flat(text_of(printed[printables.HANDOUT_FILES["policy"]]))
    for section in data.policy.sections:
        assert section.heading in policy and words(section.text) in policy
    assert words(data.policy.trainer_notes[0]) in policy
    carousel = flat(text_of(printed[printables.HANDOUT_FILES["carousel"]]))
    for station in data.carousel.stations:
        assert station.title in carousel and words(station.scenario) in carousel


def test_pages_are_a4_and_numbered(printed: dict) -> None:
    info = subprocess.run([_need("pdfinfo"), str(printed[printables.GUIDE_FILE])],
                          check=True, capture_output=True, text=True, timeout=60).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert f"1 of {pages}" not in text_of(printed[printables.GUIDE_FILE]).split("\f")[0]
    assert f"2 of {pages}" in text_of(printed[printables.GUIDE_FILE]).split("\f")[1]
