"""What one screen of a presentation shows, built from the course's data.

A :class:`Slide` is plain, escaped HTML in three parts: the item itself (a post card, a
situation with its options, or a heading), the panel the room sees first (the question to
discuss) and the panel shown on *Reveal* (verdict, rule, principle and what decides it). Every
piece of text from the content files is escaped here, before it reaches the page. Slides never
carry an item's id or difficulty: those are for the trainer's screens, not the room's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from course.catalogue.responses import Response
from course.catalogue.scenarios import (
    ACCOUNT_LABELS,
    PLATFORM_COLOURS,
    PLATFORM_NAMES,
    Framework,
    Post,
)

SlideKind = Literal["post", "situation", "heading", "summary"]
Tone = Literal["acceptable", "not-acceptable", "answer", "none"]


ASK_POST = Markup(
    "<h2>Ask the room</h2><p>Acceptable or not acceptable?</p>"
    "<p>Which detail decides it?</p>"
    "<p class='pwc-ask-more'>If it is not acceptable: which rule does it break, and which "
    "principle is at stake?</p>"
)
ASK_SITUATION = Markup(
    "<h2>Ask the room</h2><p>Which response would you choose?</p>"
    "<p>What would each one lead to?</p>"
)


@dataclass(frozen=True)
class Slide:
    """One screen: ``body`` (the item), ``ask`` (before reveal), ``answer`` (after reveal, or
    None when there is nothing to reveal), ``tone`` (how the revealed panel is coloured) and
    ``label`` (the slide's accessible name, read by screen readers). ``post`` is the post's id
    on a practice post's screen: only a presentation on the room's hub uses it (to open the
    room's vote on it), and it is never shown."""

    kind: SlideKind
    body: Markup
    ask: Markup
    answer: Markup | None
    tone: Tone
    label: str
    post: str | None = None


def initials(name: str) -> str:
    """Up to two capital letters for an avatar: 'Harbour Lane Counselling' -> 'HL'."""
    firsts = (next((ch for ch in word if ch.isalnum()), "") for word in name.split())
    letters = [ch for ch in firsts if ch]
    return "".join(letters[:2]).upper() or "?"


def card_html(
    platform: str,
    account: str,
    display_name: str,
    text: str,
    handle: str | None = None,
    context: str | None = None,
    poster: str | None = None,
) -> Markup:
    """A post drawn as a card: platform band, author, the post's text, and its context line."""
    colour = PLATFORM_COLOURS.get(platform, "#3d4450")
    name = PLATFORM_NAMES.get(platform, platform)
    handle_html = Markup(" <span class='pwc-handle'>{}</span>").format(handle) if handle else ""
    poster_html = (
        Markup("<div class='pwc-poster'>{}</div>").format(poster[:1].upper() + poster[1:])
        if poster
        else ""
    )
    context_html = (
        Markup("<p class='pwc-context'><strong>Context:</strong> {}</p>").format(context.strip())
        if context
        else ""
    )
    return Markup(
        "<article class='pwc-card' aria-label='{platform} post by {name}'>"
        "<div class='pwc-band' style='background:{colour}'><span>{platform}</span>"
        "<span class='pwc-account'>{account}</span></div>"
        "<div class='pwc-author'><span class='pwc-avatar' style='background:{colour}' "
        "aria-hidden='true'>{initials}</span><div><span class='pwc-name'>{name}</span>"
        "{handle}{poster}</div></div>"
        "<p class='pwc-text'>{text}</p>{context}</article>"
    ).format(
        platform=name,
        colour=colour,
        account=ACCOUNT_LABELS.get(account, account),
        initials=initials(display_name),
        name=display_name,
        handle=handle_html,
        poster=poster_html,
        text=text.strip(),
        context=context_html,
    )


def situation_html(
    title: str,
    text: str,
    options: Mapping[str, str],
    best: str | None,
    platform: str | None = None,
) -> Markup:
    """A situation and its lettered options; ``best`` is marked for the reveal (and only shown
    as best once the slide is revealed)."""
    where = (
        Markup("<p class='pwc-where'>{}</p>").format(PLATFORM_NAMES.get(platform, platform))
        if platform
        else ""
    )
    items = Markup("").join(
        Markup("<li class='pwc-option{best}'><span class='pwc-letter'>{letter}</span> {text}"
               "{mark}</li>").format(
            best=" pwc-option-best" if letter == best else "",
            letter=letter,
            text=option.strip(),
            mark=Markup("<span class='pwc-best-mark'> (the better response)</span>")
            if letter == best
            else "",
        )
        for letter, option in options.items()
    )
    return Markup(
        "<article class='pwc-situation' aria-label='Situation: {title}'>{where}"
        "<h1 class='pwc-situation-title'>{title}</h1><p class='pwc-text'>{text}</p>"
        "<ol class='pwc-options'>{items}</ol></article>"
    ).format(title=title, where=where, text=text.strip(), items=items)


def facts_html(verdict: str | None, facts: Iterable[tuple[str, str]]) -> Markup:
    """The revealed panel: a large verdict (if any), then labelled facts."""
    head = Markup("<p class='pwc-verdict'>{}</p>").format(verdict.capitalize()) if verdict else ""
    rows = Markup("").join(
        Markup("<dt>{}</dt><dd>{}</dd>").format(term, value) for term, value in facts if value
    )
    return Markup("{}<dl>{}</dl>").format(head, rows)


def rule_name(framework: Framework, rule_id: str) -> str:
    rule = next(r for r in framework.rules if r.id == rule_id)
    return f"Rule {rule.number}: {rule.title}"


def principle_names(framework: Framework, ids: Iterable[str]) -> str:
    names = {p.id: p.name for p in framework.principles}
    return ", ".join(names[i] for i in ids)


def post_slide(post: Post, framework: Framework) -> Slide:
    """A practice post: the card, the question, then verdict, rule, principle and explanation."""
    rules = [rule_name(framework, r) for r in post.rules]
    if post.verdict == "not acceptable":
        facts = [
            ("Rule broken" if len(rules) == 1 else "Rules broken", "; ".join(rules)),
            ("Principle at stake" if len(post.principles) == 1 else "Principles at stake",
             principle_names(framework, post.principles)),
        ]
    else:
        kept = "Rule kept" if len(rules) == 1 else "Rules kept"
        facts = [
            (kept, "; ".join(rules)) if rules else ("Rule", "No rule is broken here"),
            ("Principle" if len(post.principles) == 1 else "Principles",
             principle_names(framework, post.principles)),
        ]
    facts.append(("What decides it", post.explanation.strip()))
    return Slide(
        kind="post",
        body=card_html(post.platform, post.account, post.display_name, post.text, post.handle,
                       post.context, post.poster),
        ask=ASK_POST,
        answer=facts_html(post.verdict, facts),
        tone="acceptable" if post.verdict == "acceptable" else "not-acceptable",
        label=f"{PLATFORM_NAMES[post.platform]} post by {post.display_name}",
        post=post.id,
    )


def situation_slide(response: Response, framework: Framework) -> Slide:
    """A response situation: the options, then the better one marked and the better path."""
    letters = "abcd"
    options = {letters[i]: option.text for i, option in enumerate(response.options)}
    best = letters[response.options.index(response.best_option)]
    facts = [
        ("The better response", f"{best}: {response.best_option.text}"),
        ("Why", response.better_path.strip()),
        ("Rules" if len(response.rules) > 1 else "Rule", " · ".join(
            next(r.short for r in framework.rules if r.id == rule_id)
            for rule_id in response.rules)),
        ("Principle" if len(response.principles) == 1 else "Principles",
         principle_names(framework, response.principles)),
    ]
    return Slide(
        kind="situation",
        body=situation_html(response.title, response.situation, options, best,
                            response.platform),
        ask=ASK_SITUATION,
        answer=facts_html(None, facts),
        tone="answer",
        label=f"Situation: {response.title}",
    )


def heading_slide(title: str, text: str = "") -> Slide:
    """A section title (for example a lesson's name, or a break)."""
    body = Markup("<div class='pwc-heading'><h1>{}</h1>{}</div>").format(
        title, Markup("<p>{}</p>").format(text) if text else ""
    )
    return Slide(kind="heading", body=body, ask=Markup(""), answer=None, tone="none",
                 label=title)
