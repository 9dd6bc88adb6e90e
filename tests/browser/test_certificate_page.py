"""The static verification page in real headless Chromium, opened from a file as a verifier
would: a genuine certificate's code (from the address, as the QR code opens it, or pasted)
verifies with the browser's own Ed25519 and shows what was signed; a forged one, another
provider's page, a damaged code and a bare certificate number are refused in plain words.
Nothing is fetched from anywhere. The QR code printed on a certificate PDF, rendered to PNG
with pdftoppm, is read back with jsQR (npm, fetched at test time) and holds the page's address
and the code.
"""

from __future__ import annotations

import base64
import subprocess
from datetime import date
from pathlib import Path

import axe
import npmpack
import pytest
from playwright.sync_api import Page, expect

from course import pdf
from grader.certificates import document, keys
from grader.certificates import page as verification_page
from grader.certificates.claims import Claims, ExerciseClaim, decode, encode
from grader.certificates.issue import sign

pytestmark = pytest.mark.browser

PROVIDER = "Northfield Counselling Training"
NAME = "زينب الحسيني <img src=x onerror=alert(1)>"
URL = "https://northfield.example/check.html"


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("page")
    keys.generate(folder / "provider.key", folder / "provider.pub")
    keys.generate(folder / "other.key", folder / "other.pub")
    claims = Claims(
        provider=PROVIDER, name=NAME, issued=date(2026, 12, 1), pass_mark="70%",
        cpd_minutes=80, verify_url=URL, exercises=(
            ExerciseClaim(id="ex01_classify_posts", title="Exercise 1: Acceptable or not?",
                          score=22, max=24, minutes=35),
            ExerciseClaim(id="ex02_rules_and_responses", title="Exercise 2: Which rule?",
                          score=20.5, max=27, minutes=45),
        )).with_number()
    code = sign(claims, keys.load_private(folder / "provider.key"))
    ours = folder / "check.html"
    render = verification_page.render
    ours.write_text(render(keys.load_public(folder / "provider.pub"), PROVIDER), "utf-8")
    theirs = folder / "other.html"
    theirs.write_text(render(keys.load_public(folder / "other.pub"), "Other Provider"), "utf-8")
    return {"claims": claims, "code": code, "ours": ours, "theirs": theirs}


def open_page(page_: Page, path: Path, fragment: str = "") -> list[str]:
    """Open the page; return every URL it requested."""
    requests: list[str] = []
    page_.on("request", lambda request: requests.append(request.url))
    page_.goto(path.as_uri() + (f"#{fragment}" if fragment else ""))
    return requests


def result(page_: Page):
    return page_.locator("#pwc-result")


def test_the_qr_address_opens_the_page_verified(
    page: Page, setup: dict, screenshots: Path
) -> None:
    requests = open_page(page, setup["ours"], setup["code"])
    box = result(page)
    expect(box).to_have_class("result good")
    expect(page.locator("#pwc-result-title")).to_have_text(
        f"Verified: issued and signed by {PROVIDER}.")
    claims = page.locator("#pwc-claims")
    expect(claims.locator("dt")).to_have_text(
        ["Name", "Course", "Issued on", "Issued by", "CPD time", "Pass mark",
         "Certificate number", "Exercise 1: Acceptable or not?", "Exercise 2: Which rule?"])
    expect(claims.locator("dd")).to_have_text(
        [NAME, "Posting with Care", "1 December 2026", PROVIDER,
         "1 hour 20 minutes (the course's time for the exercises listed)",
         "70% in each exercise listed", setup["claims"].number, "22 out of 24", "20.5 out of 27"])
    assert page.locator("img").count() == 0  # the name is text, never markup
    assert all(url.startswith("file://") for url in requests), requests
    page.screenshot(path=screenshots / "certificate-page-verified.png", full_page=True)


def test_pasting_the_text_or_the_whole_address_verifies(page: Page, setup: dict) -> None:
    open_page(page, setup["ours"])
    expect(result(page)).to_be_hidden()
    code = setup["code"]
    wrapped = "\n".join(code[i:i + 96] for i in range(0, len(code), 96))  # as printed
    for text in (wrapped, f"{URL}#{code}"):
        page.get_by_label("Verification text").fill(text)
        page.get_by_role("button", name="Check the certificate").click()
        expect(page.locator("#pwc-result-title")).to_have_text(
            f"Verified: issued and signed by {PROVIDER}.")


def forged(setup: dict, **change: object) -> str:
    claims, _, signature = decode(setup["code"])
    return encode(claims.model_copy(update=change), signature)


@pytest.mark.parametrize("change", [
    {"name": "Someone Else"}, {"issued": date(2027, 1, 1)}, {"cpd_minutes": 600},
])
def test_a_forged_certificate_is_refused(
    page: Page, setup: dict, screenshots: Path, change: dict
) -> None:
    open_page(page, setup["ours"], forged(setup, **change))
    expect(result(page)).to_have_class("result bad")
    expect(page.locator("#pwc-result-title")).to_have_text(
        "Not verified: the signature does not match.")
    expect(page.locator("#pwc-claims")).to_be_hidden()
    if "name" in change:
        page.screenshot(path=screenshots / "certificate-page-forged.png", full_page=True)


def test_a_forged_score_is_refused(page: Page, setup: dict) -> None:
    claims, _, _ = decode(setup["code"])
    better = claims.exercises[0].model_copy(update={"score": 24})
    open_page(page, setup["ours"], forged(setup, exercises=(better, claims.exercises[1])))
    expect(page.locator("#pwc-result-title")).to_have_text(
        "Not verified: the signature does not match.")


def test_another_providers_page_refuses_it(page: Page, setup: dict) -> None:
    open_page(page, setup["theirs"], setup["code"])
    expect(page.locator("#pwc-result-title")).to_have_text(
        "Not verified: the signature does not match.")
    expect(page.locator("#pwc-result-detail")).to_contain_text("not issued by Other Provider")


@pytest.mark.parametrize(("text", "title"), [
    ("hello there", "Not verified: this is not a verification text."),
    ("PWC1.e30.AAAA!", "Not verified: the text is damaged."),
    ("PWC-7K3Q-X9AB", "That is a certificate number, not its verification text."),
])
def test_what_cannot_be_checked_is_explained(
    page: Page, setup: dict, text: str, title: str
) -> None:
    open_page(page, setup["ours"])
    page.get_by_label("Verification text").fill(text)
    page.get_by_role("button", name="Check the certificate").click()
    expect(page.locator("#pwc-result-title")).to_have_text(title)


def test_the_code_truncated_is_refused(page: Page, setup: dict) -> None:
    open_page(page, setup["ours"], setup["code"][:-10])
    expect(result(page)).to_have_class("result bad")


def test_no_serious_accessibility_violations(page: Page, setup: dict) -> None:
    open_page(page, setup["ours"], setup["code"])
    expect(result(page)).to_have_class("result good")
    try:
        found = axe.run(page, "body")
    except axe.AxeUnavailable as error:
        pytest.skip(f"axe-core unavailable: {error}")
    assert any(rule["id"] == "color-contrast" for rule in found["passes"]), "axe checked nothing"
    serious = axe.serious_violations(found)
    assert not serious, "\n".join(serious)


@pytest.mark.skipif(pdf.unavailable_reason() is not None, reason="PDFs cannot be made here")
def test_the_printed_qr_code_opens_the_page_with_the_code(
    page: Page, setup: dict, tmp_path: Path
) -> None:
    try:
        jsqr = npmpack.package_file("jsqr@1", "dist/jsQR.js")
    except npmpack.NpmUnavailable as error:
        pytest.skip(f"jsQR unavailable: {error}")
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(document.to_pdf(setup["claims"], setup["code"]))
    # 300 dpi, as a printer gives it (at 150 dpi a module of the code is under 3 pixels)
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-singlefile", str(certificate),
                    str(tmp_path / "page")], check=True, timeout=60)
    image = base64.b64encode((tmp_path / "page.png").read_bytes()).decode("ascii")
    page.set_content("<canvas id='c'></canvas>")
    page.add_script_tag(path=jsqr)
    found = page.evaluate("""async (data) => {
        const img = new Image();
        img.src = "data:image/png;base64," + data;
        await img.decode();
        const canvas = document.getElementById("c");
        canvas.width = img.width; canvas.height = img.height;
        const context = canvas.getContext("2d");
        context.drawImage(img, 0, 0);
        const pixels = context.getImageData(0, 0, img.width, img.height);
        const code = jsQR(pixels.data, img.width, img.height);
        return code ? code.data : null;
    }""", image)
    assert found == f"{URL}#{setup['code']}"
    # and the page, opened at that address (here: its file), verifies it
    open_page(page, setup["ours"], found.split("#", 1)[1])
    expect(page.locator("#pwc-result-title")).to_have_text(
        f"Verified: issued and signed by {PROVIDER}.")
