"""The workshop kit without a browser: sessions as validated data (ready-made and the
trainer's own), the filters of the session builder, the builder widget's buttons in-process,
the presentation's HTML (escaped, no ids or difficulty), and the printed guide's HTML."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from course.catalogue import bank
from course.catalogue.scenarios import ContentError
from course.runtime.private import HOME_ENV
from course.workshop import choose, deck, handouts, printables, sessions
from course.workshop.sessions import Step
from course.workshop.slides import card_html


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "private"
    monkeypatch.setenv(HOME_ENV, str(folder))
    monkeypatch.delenv(bank.CONTENT_ENV, raising=False)
    monkeypatch.setenv("BROWSER", "true")  # webbrowser.open runs `true`: nothing opens
    return folder


def test_ready_made_sessions_cover_the_guides_plans() -> None:
    ready = sessions.ready_made()
    assert {"two-and-a-half-hours", "three-hours-with-exercise",
            "follow-up-ninety-minutes"} <= set(ready)
    for session in ready.values():
        assert session.items, session.id
        refs = [s.ref for s in session.items]
        assert len(refs) == len(set(refs)), f"{session.id} shows an item twice"


@pytest.mark.parametrize(("entry", "message"), [
    ({"id": "x-1", "title": "Bad", "steps": [{"post": "p999"}]}, "no practice post 'p999'"),
    ({"id": "x-1", "title": "Bad", "steps": [{"situation": "nope"}]},
     "no response situation 'nope'"),
    ({"id": "x-1", "title": "Bad", "steps": [{"post": "p001", "heading": "Both"}]},
     "exactly one of"),
    ({"id": "x-1", "title": "Bad", "steps": []}, "steps"),
    ({"id": "Not A Slug", "title": "Bad", "steps": [{"post": "p001"}]}, "field 'id'"),
    ({"id": "x-1", "title": "Bad", "steps": [{"post": "p001"}], "extra": 1}, "extra"),
])
def test_a_bad_ready_made_session_is_refused_with_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: dict, message: str
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "sessions.yaml").write_text(json.dumps({"sessions": [entry]}), encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(message)) as error:
        sessions.ready_made(content)
    assert "sessions.yaml: session" in str(error.value)


def test_a_session_is_saved_in_the_private_folder_and_found_again(home: Path) -> None:
    steps = [Step(post="p019"), Step(heading="Break"), Step(situation="bad-review")]
    path = sessions.save("My Tuesday group!", steps)
    assert path == home / "sessions" / "my-tuesday-group.json"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    found = sessions.find("my-tuesday-group")
    assert found.title == "My Tuesday group!"
    assert [s.ref for s in found.steps] == ["post:p019", "heading:Break", "situation:bad-review"]


def test_a_ready_made_name_cannot_be_taken_over(home: Path) -> None:
    with pytest.raises(ContentError, match="ready-made"):
        sessions.save("Two and a half hours", [Step(post="p001")])
    with pytest.raises(ContentError, match="at least one letter"):
        sessions.save("!!!", [Step(post="p001")])


def test_a_broken_saved_file_is_reported_and_left_alone(home: Path) -> None:
    sessions.save("Good one", [Step(post="p001")])
    broken = home / "sessions" / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    wrong = home / "sessions" / "gone.json"
    wrong.write_text(json.dumps({"id": "gone", "title": "Gone",
                                 "steps": [{"post": "p998"}]}), encoding="utf-8")
    found, problems = sessions.own()
    assert list(found) == ["good-one"]
    assert any(p.startswith("broken.json could not be used") for p in problems)
    assert any("gone.json" in p and "p998" in p for p in problems)
    assert broken.read_text(encoding="utf-8") == "{not json"


def test_unknown_session_names_the_ones_there_are(home: Path) -> None:
    with pytest.raises(ContentError, match="two-and-a-half-hours"):
        sessions.find("nope")


@pytest.mark.parametrize(("filters", "check"), [
    (choose.Filters(lesson="04-not-engaging"),
     lambda s: (bank.post(s.post).lesson if s.post else bank.response(s.situation).lesson)
     == "04-not-engaging"),
    (choose.Filters(rule="testimonials", kind="post"),
     lambda s: s.post and "testimonials" in bank.post(s.post).rules),
    (choose.Filters(principle="autonomy"),
     lambda s: "autonomy" in (bank.post(s.post) if s.post else
                              bank.response(s.situation)).principles),
    (choose.Filters(topic="jigsaw"),
     lambda s: "jigsaw" in (bank.post(s.post) if s.post else
                            bank.response(s.situation)).topics),
    (choose.Filters(difficulty="hard"),
     lambda s: s.post and bank.post(s.post).difficulty == "hard"),
    (choose.Filters(kind="situation"), lambda s: s.situation is not None),
])
def test_filters_keep_exactly_the_matching_items(filters: choose.Filters, check) -> None:
    found = choose.matching(filters)
    assert found
    assert all(check(step) for step in found)
    everything = choose.matching(choose.Filters())
    left_out = [s for s in everything if s not in found]
    assert not any(check(step) for step in left_out)


def test_the_builder_filters_picks_orders_saves_and_presents(home: Path) -> None:
    from course.workshop.builder import SessionBuilder

    builder = SessionBuilder()
    builder.lesson.value = "06-testimonials-and-reviews"
    builder.difficulty.value = "hard"
    hard = [value for _label, value in builder.found.options]
    assert hard and all(bank.post(v.split(":")[1]).difficulty == "hard" for v in hard)
    builder.found.value = tuple(hard[:2])
    builder.add.click()
    builder.difficulty.value = "any"
    builder.kind.value = "situation"
    builder.found.value = ("situation:bad-review",)
    builder.add.click()
    builder.heading.value = "Break"
    builder.add_heading.click()
    builder.chosen.value = 2  # the situation moves up, above the second post
    builder.up.click()
    builder.chosen.value = 3
    builder.remove.click()  # the heading goes
    expected = [hard[0], "situation:bad-review", hard[1]]
    assert [s.ref for s in builder.steps] == expected
    builder.name.value = "Rules four and five"
    builder.save.click()
    assert "Saved" in builder.status.value
    assert [s.ref for s in sessions.find("rules-four-and-five").steps] == expected
    builder.present.click()
    written = home / "presentations" / "rules-four-and-five.html"
    assert written.is_file() and "Download the presentation" in builder.status.value
    again = SessionBuilder()
    again.saved.value = "rules-four-and-five"
    again.open_saved.click()
    assert [s.ref for s in again.steps] == expected


def test_the_presentation_escapes_text_and_shows_no_ids_or_difficulty() -> None:
    html = str(card_html("x", "personal", "<b>Kim</b>", "Hello <script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;Kim" in html
    session = sessions.find("two-and-a-half-hours")
    page = deck.session_deck(session)
    markup = re.sub(r"<script>.*?</script>|<style>.*?</style>", "", page, flags=re.DOTALL)
    shown = " ".join(unescape(re.sub(r"<[^>]+>", " ", markup)).split())
    for step in session.items:
        if step.post:
            post = bank.post(step.post)
            assert post.id not in markup
            for text in (post.text, post.explanation, post.context or ""):
                text = " ".join(text.split())
                assert text in shown
                shown = shown.replace(text, "")
        else:
            response = bank.response(step.situation)
            for text in (response.situation, response.better_path, response.title,
                         *(o.text for o in response.options)):
                shown = shown.replace(" ".join(text.split()), "")
    shown = shown.replace("The hardest posts", "")
    assert not re.search(r"\b(easy|medium|hard)\b", shown, flags=re.IGNORECASE), shown


def test_the_printed_guide_holds_posts_verdicts_and_prompts_not_code() -> None:
    html = printables.guide_html()
    assert not re.search(r"show\.\w+\(", html), "code in the printed guide"
    flat = " ".join(html.split())
    for post in list(bank.posts().values())[::10]:
        assert post.explanation.split()[0] in flat
    assert "Not acceptable." in html and "Acceptable." in html
    first = next(iter(bank.lessons().values()))
    assert first.instructor.discussion[0].replace("'", "&#39;") in flat
    for file_name in printables.HANDOUT_FILES.values():
        assert file_name in html


def test_every_activity_that_names_a_handout_has_one() -> None:
    data = handouts.load()
    named = {"jigsaw": "03-never-disclose", "role_play": "04-not-engaging",
             "policy": "07-social-media-policy", "carousel": "08-grey-areas"}
    for key, lesson_id in named.items():
        handout = getattr(data, key)
        assert handout.lesson == lesson_id
        timings = " ".join(t.activity.lower() for t in bank.lesson(lesson_id).instructor.timings)
        word = {"jigsaw": "jigsaw", "role_play": "role-play", "policy": "sample policy",
                "carousel": "carousel"}[key]
        assert word in timings
    assert len(data.carousel.stations) == 4


def test_the_session_builder_page_runs_headless(home: Path, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    page = Path(__file__).resolve().parents[1] / "course" / "facilitator" / "session-builder.ipynb"
    nb = nbformat.read(page, as_version=4)
    assert [c.source for c in nb.cells if c.cell_type == "code"] == [
        "from course.runtime import show", "show.session_builder()"]
    NotebookClient(nb, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [o.output_type for o in outputs] == ["display_data"]
    assert "application/vnd.jupyter.widget-view+json" in outputs[0].data


@pytest.mark.parametrize("name", ["handouts.yaml", "sessions.yaml"])
def test_workshop_content_uses_only_invented_contact_details(name: str) -> None:
    import yaml

    from course.authoring import invented

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    data = yaml.safe_load((bank.content_dir() / name).read_text(encoding="utf-8"))
    allow = invented.load_allow_list()
    found = [f for text in strings(data) for f in invented.not_invented(text, allow)]
    assert found == []


# --- the room's vote: only in a deck presented on the room's hub ------------------------------
NETWORK = ("fetch(", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "<iframe",
           "services/vote", "data-vote", "PwcRoomVote", "http://", "https://")


def test_the_offline_deck_holds_no_vote_code_and_never_uses_the_network() -> None:
    session = sessions.find("two-and-a-half-hours")
    offline = deck.session_deck(session)
    assert [marker for marker in NETWORK if marker in offline] == []
    assert "V vote" not in offline and "Open a vote" not in offline
    on_hub = deck.session_deck(session, vote="/services/vote/")
    posts = [step.post for step in session.items if step.post]
    assert posts and all(f'data-vote-post="{post}"' in on_hub for post in posts)
    assert on_hub.count("data-vote-post=") == len(posts)  # posts only, no situation or heading
    for marker in ("fetch(", "PwcRoomVote", '"/services/vote/"', "Open a vote"):
        assert marker in on_hub, marker
    assert "http://" not in on_hub and "https://" not in on_hub  # same origin only


def test_the_builder_presents_with_the_vote_only_on_the_rooms_hub(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    from course.app import settings
    from course.workshop.builder import SessionBuilder

    def present() -> tuple[str, str, str]:
        builder = SessionBuilder()
        builder.saved.value = "two-and-a-half-hours"
        builder.open_saved.click()
        builder.present.click()
        data = re.search(r"base64,([A-Za-z0-9+/=]+)", builder.status.value).group(1)
        written = "".join(p.read_text() for p in (home / "presentations").glob("*.html"))
        return unescape(builder.stage.value), base64.b64decode(data).decode(), written

    for name in (settings.VOTE_ENV, settings.ROLE_ENV, settings.HUB_USER_ENV):
        monkeypatch.delenv(name, raising=False)
    stage, download, written = present()
    assert "PwcRoomVote" not in stage and "PwcRoomVote" not in download
    monkeypatch.setenv(settings.VOTE_ENV, "/services/vote/")
    monkeypatch.setenv(settings.ROLE_ENV, "trainer")
    stage, download, written = present()
    assert "PwcRoomVote" not in stage, "a vote off the hub"
    monkeypatch.setenv(settings.HUB_USER_ENV, "trainer")
    stage, download, written = present()
    assert "PwcRoomVote" in stage and 'data-vote-post="' in stage
    assert [m for m in NETWORK if m in download] == [] == [m for m in NETWORK if m in written]
    monkeypatch.setenv(settings.ROLE_ENV, "learner")
    stage, _, _ = present()
    assert "PwcRoomVote" not in stage, "a learner's server never runs the room's vote"
