"""The debrief deck: the items a group found hardest, for the room to discuss on a projector.

One self-contained HTML file (``debrief.html`` in the results folder, the course's presentation
view, no network), built from the graded answers: a title screen; for each of the hardest
posts or situations, the item itself and a discussion prompt; the rules the group found
hardest; and a closing screen. It holds no learner's name, code or answers, only shares of the
room, and it is not written at all for fewer than :data:`MIN_LEARNERS` graded learners, where a
share could point to a person.

Answers follow the same choice as the feedback pages (the course's setting, or
``--show-correct-answers`` / ``--hide-correct-answers``), unless the trainer chooses for the
deck alone (``--debrief-answers show|hide``). With answers shown, each item's *Reveal* gives the
right answer, rule, principle and explanation, and the prompt gives the share who missed it.
With answers hidden, nothing in the deck lets the room work out the key: no reveal, no rule or
principle per item, and no per-item share (with two possible answers, a share and a show of
hands would give the answer away); the items still come hardest first, and the rules screen
gives only totals per rule.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from course.workshop import deck
from course.workshop.slides import Slide, card_html, facts_html, heading_slide, situation_html
from grader.items import Entry, Item
from grader.render import framework_names

FILE_NAME = "debrief.html"
MIN_LEARNERS = 5
HARDEST = 5
NO_RULE = "(none)"

PROMPTS = {
    "verdict": ("Argue both verdicts before anyone says what they answered.",
                "Which detail decides it? Why was it easy to miss?"),
    "rule": ("Which rule does it break, and which principle is most at stake?",
             "What made it easy to choose a different one?"),
    "letter": ("What would each response lead to, for the client and for you?",
               "Which one protects the client best, and why might people pick another?"),
}


@dataclass(frozen=True)
class EntryResult:
    """One post or situation of the exercise, with how the room did on its items."""

    entry: Entry
    items: list[Item]  # the entry's automatically marked items
    learners: int
    missed: int  # learners who missed at least one of the entry's items
    missed_by_item: dict[str, int]

    @property
    def share(self) -> float:
        return self.missed / self.learners if self.learners else 0.0


def answers_from_outcomes(outcomes: list) -> pd.DataFrame:
    """Graded learners' automatic items: columns learner, item, correct."""
    records = [{"learner": o.public_id, "item": i.item_id, "correct": bool(i.correct)}
               for o in outcomes if o.graded for i in o.items if not i.manual]
    return pd.DataFrame(records, columns=["learner", "item", "correct"])


def answers_from_results(results: Path) -> pd.DataFrame:
    """The same from a results folder's ``items.csv`` (as the cohort command wrote it)."""
    path = results / "items.csv"
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise ValueError(f"{path} cannot be read ({error.strerror}); is {results} a results "
                         "folder written by 'python -m grader grade'?") from None
    missing = {"learner", "item", "correct"} - set(rows[0] if rows else {})
    if rows and missing:
        raise ValueError(f"{path} has no column(s) {', '.join(sorted(missing))}")
    return pd.DataFrame([{"learner": r["learner"], "item": r["item"],
                          "correct": r["correct"] == "yes"} for r in rows],
                        columns=["learner", "item", "correct"])


def _entries(exercise) -> dict[str, Entry]:
    return {e.id: e for part in exercise.key.parts for e in part.entries}


def hardest_entries(answers: pd.DataFrame, exercise) -> list[EntryResult]:
    """Entries with at least one miss, hardest first (ties in the exercise's order)."""
    entries = _entries(exercise)
    by_entry: dict[str, list] = {}
    for item in exercise.auto_items:
        by_entry.setdefault(item.entry, []).append(item)
    learners = answers["learner"].nunique()
    results = []
    for order, (entry_id, items) in enumerate(by_entry.items()):
        ids = [i.id for i in items]
        mine = answers[answers["item"].isin(ids)]
        wrong = mine[~mine["correct"]]
        missed = wrong["learner"].nunique()
        if missed:
            per_item = {i: int((wrong["item"] == i).sum()) for i in ids}
            results.append((-missed, order, EntryResult(entries[entry_id], items, learners,
                                                        missed, per_item)))
    return [r for *_, r in sorted(results, key=lambda t: (t[0], t[1]))]


def hardest_rules(answers: pd.DataFrame, exercise) -> list[tuple[str, float]]:
    """(rule name, share of answers wrong) per rule, hardest first; acceptable posts (no rule
    broken) form their own group, where a wrong answer means over-caution."""
    rules, _principles = framework_names()
    rules = {**rules, NO_RULE: "No rule broken (posts that were fine to share)"}
    key = {}
    for item in exercise.auto_items:
        if item.rule is None and item.kind == "verdict":
            key[item.id] = NO_RULE
        elif item.rule is not None:
            key[item.id] = item.rule
    frame = answers.assign(rule=answers["item"].map(key)).dropna(subset=["rule"])
    shares = []
    for rule, group in frame.groupby("rule"):
        shares.append((rules.get(rule, rule), float(1 - group["correct"].mean())))
    return sorted(shares, key=lambda s: (-s[1], s[0]))


def _body(entry, reveal: bool) -> Markup:
    if entry.post is not None:
        post = entry.post
        return card_html(post.platform, post.account, post.display_name, post.text,
                         post.handle, post.context)
    situation = entry.situation
    return situation_html(situation.title, situation.text, situation.options,
                          entry.answer if reveal else None)


def _answer(result: EntryResult) -> Markup:
    rules, principles = framework_names()
    entry = result.entry
    kinds = [item.kind for item in result.items]
    verdict = None
    facts: list[tuple[str, str]] = []
    if "verdict" in kinds:
        verdict = entry.verdict
    elif "letter" in kinds and entry.situation is not None and entry.answer is not None:
        facts.append(("The better response",
                      f"{entry.answer}: {entry.situation.options[entry.answer]}"))
    if entry.rule:
        facts.append(("Rule broken" if "letter" not in kinds else "Rule", rules[entry.rule]))
    elif "verdict" in kinds:
        facts.append(("Rule", "No rule is broken here"))
    if entry.principle:
        facts.append(("Principle at stake", principles[entry.principle]))
    facts.append(("Why", (entry.explanation or "").strip()))
    return facts_html(verdict, facts)


def _ask(result: EntryResult, reveal: bool) -> Markup:
    kind = "letter" if result.items[0].kind == "letter" else (
        "verdict" if result.items[0].kind == "verdict" else "rule")
    first, second = PROMPTS[kind]
    parts = [Markup("<h2>Talk it through</h2>")]
    if reveal:
        if len(result.items) == 1:
            parts.append(Markup("<p class='pwc-share'>{} of {} in the room ({:.0%}) missed "
                                "this.</p>").format(result.missed, result.learners, result.share))
        else:
            named = "; ".join(f"the {item.kind}: {result.missed_by_item[item.id]}"
                              for item in result.items)
            parts.append(Markup("<p class='pwc-share'>{} of {} in the room ({:.0%}) missed "
                                "part of this ({}).</p>").format(
                result.missed, result.learners, result.share, named))
    else:
        parts.append(Markup("<p class='pwc-share'>One of the items this group found "
                            "hardest.</p>"))
    parts.append(Markup("<p>{}</p><p>{}</p>").format(first, second))
    if reveal and result.entry.hint:
        parts.append(Markup("<p class='pwc-ask-more'>A nudge: {}</p>").format(result.entry.hint))
    return Markup("").join(parts)


def _rules_slide(shares: list[tuple[str, float]]) -> Slide:
    bars = Markup("").join(
        Markup("<li>{name}: <strong>{share:.0%}</strong> of answers wrong"
               "<div class='pwc-bar' aria-hidden='true'><span style='width:{width:.0f}%'>"
               "</span></div></li>").format(name=name, share=share, width=share * 100)
        for name, share in shares[:5]
    )
    body = Markup("<section class='pwc-summary' aria-label='The rules the group found hardest'>"
                  "<h1>The rules the group found hardest</h1>"
                  "<p>Wrong answers, grouped by the rule each item is about.</p>"
                  "<ul class='pwc-bars'>{}</ul></section>").format(bars)
    ask = Markup("<h2>Talk it through</h2><p>Why might this rule be the hardest to apply in "
                 "practice?</p><p>Which principle does it protect?</p>")
    return Slide(kind="summary", body=body, ask=ask, answer=None, tone="none",
                 label="The rules the group found hardest")


def build(answers: pd.DataFrame, exercise, reveal: bool) -> str | None:
    """The deck's HTML, or None when there is nothing to show or too few learners."""
    learners = answers["learner"].nunique()
    if learners < MIN_LEARNERS or not exercise.auto_items:
        return None
    hardest = hardest_entries(answers, exercise)[:HARDEST]
    intro = (f"What the group found hardest, from {learners} learners' answers. "
             "Nobody is named.")
    if not reveal:
        intro += " Answers stay hidden: this exercise's key is kept for later groups."
    slides = [heading_slide(f"Exercise {exercise.key.number}: {exercise.title}",
                            intro)]
    for result in hardest:
        entry = result.entry
        label = (f"Post by {entry.post.display_name}" if entry.post is not None
                 else f"Situation: {entry.situation.title}" if entry.situation is not None
                 else "Situation")
        slides.append(Slide(
            kind="post" if entry.post is not None else "situation",
            body=_body(entry, reveal), ask=_ask(result, reveal),
            answer=_answer(result) if reveal else None,
            tone=("acceptable" if entry.verdict == "acceptable" else "not-acceptable")
            if entry.verdict else "answer",
            label=label))
    if not hardest:
        slides.append(heading_slide("Everyone got every item right",
                                    "Ask what made the hardest-looking posts clear."))
    shares = [s for s in hardest_rules(answers, exercise) if s[1] > 0]
    if shares:
        slides.append(_rules_slide(shares))
    slides.append(heading_slide("Before you go", "One thing each of you will check or "
                                "change in your own online presence this week."))
    return deck.render(f"Debrief: {exercise.title}", slides)


def write(out: Path, answers: pd.DataFrame, exercise, reveal: bool) -> Path | None:
    """Write ``debrief.html`` into ``out`` (owner-only), or remove a stale one and return None
    when no deck can be made (fewer than :data:`MIN_LEARNERS` graded, or no marked items)."""
    from .outputs import write_private

    html = build(answers, exercise, reveal)
    path = out / FILE_NAME
    if html is None:
        path.unlink(missing_ok=True)
        return None
    write_private(path, html)
    return path
