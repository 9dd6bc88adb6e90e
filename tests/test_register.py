"""The register of invented people and practices, and every post checked against it.

- the register validates, and broken registers fail with a message naming the entry;
- every post in the practice bank and the exercises comes from a registered account, with that
  account's handle, and agrees with whether the account is private or public;
- a town named in a post is the poster's town; a counsellor named in a practice's quoted
  testimonial works there;
- no name that appears three or more times is only ever acceptable or only ever not: the name
  is never a clue to the verdict.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from course.catalogue.register import load_register
from course.catalogue.scenarios import CONTENT_DIR, ContentError, load_posts
from grader.exercise import load_exercise

REGISTER = load_register(CONTENT_DIR)
GRADED = ("ex01_classify_posts", "ex02_rules_and_responses")


@dataclass(frozen=True)
class Appearance:
    where: str
    platform: str
    account: str
    display_name: str
    handle: str | None
    text: str
    context: str
    verdict: str


def appearances() -> list[Appearance]:
    """Every post a learner sees, in the bank and in the graded exercises."""
    found = [
        Appearance(post.id, post.platform, post.account, post.display_name, post.handle,
                   post.text, post.context or "", post.verdict)
        for post in load_posts()
    ]
    for assignment_id in GRADED:
        for part in load_exercise(assignment_id).key.parts:
            for entry in part.entries:
                if entry.post is None:
                    continue
                card = entry.post
                # Part A of exercise 2 shows only posts that are not acceptable
                verdict = entry.verdict or "not acceptable"
                found.append(Appearance(
                    f"{assignment_id}:{entry.id}", card.platform, card.account,
                    card.display_name, card.handle, card.text, card.context or "", verdict,
                ))
    return found


APPEARANCES = appearances()
IDS = [a.where for a in APPEARANCES]

PUBLIC_SIGNS = re.compile(
    r"🌍 Public|\b(?:account|profile) is (?:set to )?public|\bis public\b", re.IGNORECASE
)
PRIVATE_SIGNS = re.compile(
    r"🔒|Friends only|\b(?:account|profile) is (?:private|locked)|locked personal", re.IGNORECASE
)


def test_the_register_covers_every_poster_once() -> None:
    assert len(REGISTER.people) >= 30 and len(REGISTER.practices) >= 25
    names = [p.name for p in (*REGISTER.people, *REGISTER.practices)]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("seen", APPEARANCES, ids=IDS)
def test_every_post_comes_from_a_registered_account(seen: Appearance) -> None:
    found = REGISTER.account_for(seen.platform, seen.display_name)
    assert found is not None, (
        f"{seen.where}: no {seen.platform} account {seen.display_name!r} in register.yaml"
    )
    assert found.account.kind == seen.account, (
        f"{seen.where}: the register says {found.account.kind}"
    )
    assert seen.handle == found.account.handle, (
        f"{seen.where}: handle {seen.handle} but the register says {found.account.handle}"
    )


@pytest.mark.parametrize("seen", APPEARANCES, ids=IDS)
def test_private_and_public_accounts_stay_so(seen: Appearance) -> None:
    found = REGISTER.account_for(seen.platform, seen.display_name)
    assert found is not None
    account = found.account
    if seen.account != "personal" or seen.platform in {"facebook-group", "whatsapp"}:
        return
    shown = f"{seen.text}\n{seen.context}"
    if account.private:
        slip = seen.where in account.slipped_public
        assert slip or not PUBLIC_SIGNS.search(shown), (
            f"{seen.where}: {seen.display_name}'s {seen.platform} account is private in the "
            "register"
        )
    else:
        assert not PRIVATE_SIGNS.search(shown), (
            f"{seen.where}: {seen.display_name}'s {seen.platform} account is public in the register"
        )


@pytest.mark.parametrize("seen", APPEARANCES, ids=IDS)
def test_a_town_in_a_post_is_the_posters_town(seen: Appearance) -> None:
    found = REGISTER.account_for(seen.platform, seen.display_name)
    assert found is not None
    shown = " ".join([seen.text, seen.context, seen.handle or ""]).lower()
    named = {town for town in REGISTER.towns if town.lower() in shown}
    assert named <= {found.holder.town}, (
        f"{seen.where}: names {named}, poster is in {found.holder.town}"
    )


QUOTED = re.compile(r"[\"“]([^\"”]+)[\"”]")


@pytest.mark.parametrize("seen", APPEARANCES, ids=IDS)
def test_a_counsellor_praised_in_a_testimonial_works_there(seen: Appearance) -> None:
    found = REGISTER.account_for(seen.platform, seen.display_name)
    assert found is not None
    allowed = REGISTER.counsellors_at(found.holder)
    for quote in QUOTED.findall(seen.text):
        named = set(re.findall(r"[A-Z][a-z]+", quote)) & REGISTER.first_names
        assert named <= allowed, f"{seen.where}: {named - allowed} works elsewhere"


def test_no_recurring_name_predicts_the_verdict() -> None:
    verdicts: dict[str, Counter] = defaultdict(Counter)
    for seen in APPEARANCES:
        found = REGISTER.account_for(seen.platform, seen.display_name)
        assert found is not None
        verdicts[REGISTER.name_of(found)][seen.verdict] += 1
    clues = {
        name: dict(counts) for name, counts in verdicts.items()
        if sum(counts.values()) >= 3 and len(counts) < 2
    }
    assert clues == {}, f"names only ever in one verdict class: {clues}"
    assert sum(sum(c.values()) >= 3 for c in verdicts.values()) >= 15


def test_every_registered_account_is_used() -> None:
    used = {(a.platform, a.display_name) for a in APPEARANCES}
    unused = [
        f"{holder.id}: {account.platform} {account.display_name}"
        for holder in (*REGISTER.people, *REGISTER.practices)
        for account in holder.accounts
        if (account.platform, account.display_name) not in used
    ]
    assert unused == []


# --- broken registers fail, naming the entry ---------------------------------------------------

BROKEN = {
    "unknown town": (lambda d: d["people"][0].update(town="Atlantis"), "'Atlantis' is not in"),
    "unknown practice": (lambda d: d["people"][0].update(practice="nowhere"), "unknown practice"),
    "account twice": (
        lambda d: d["practices"][1]["accounts"].append(dict(d["practices"][0]["accounts"][0])),
        "also listed for",
    ),
    "private page": (
        lambda d: d["practices"][0]["accounts"][0].update(private=True), "only a personal account"
    ),
    "staff elsewhere": (
        lambda d: d["practices"][0].update(staff=["bea-lindqvist"]), "bea-lindqvist works here"
    ),
    "unknown field": (lambda d: d["people"][0].update(hobby="sailing"), "'people.0.hobby'"),
}


@pytest.mark.parametrize(("mutate", "message"), BROKEN.values(), ids=list(BROKEN))
def test_a_broken_register_fails_with_a_clear_message(tmp_path: Path, mutate, message) -> None:
    data = yaml.safe_load((CONTENT_DIR / "register.yaml").read_text(encoding="utf-8"))
    mutate(data)
    (tmp_path / "register.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(message)) as error:
        load_register(tmp_path)
    assert "register.yaml" in str(error.value)
