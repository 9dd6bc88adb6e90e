"""A post card: an invented post drawn the way it would look on its platform.

Every piece of text from the content files is escaped before it goes into the HTML.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from course.catalogue.scenarios import ACCOUNT_LABELS, PLATFORM_COLOURS, PLATFORM_NAMES, Post


def initials(name: str) -> str:
    """Up to two capital letters for an avatar, e.g. 'Harbour Lane Counselling' -> 'HL'."""
    firsts = (next((ch for ch in word if ch.isalnum()), "") for word in name.split())
    letters = [ch for ch in firsts if ch]
    return "".join(letters[:2]).upper() or "?"


def post_card_html(post: Post) -> Markup:
    """The card for one post, as safe HTML. Under the name, the poster line says whose account
    it is ("A counsellor in private practice"), which reads as well for a friend request or a
    message as for a post."""
    colour = PLATFORM_COLOURS[post.platform]
    platform = PLATFORM_NAMES[post.platform]
    handle = (Markup(" <span class='pwc-handle'>{}</span>").format(post.handle)
              if post.handle else Markup(""))
    context = (
        Markup("<p class='pwc-post-context'><strong>Context:</strong> {}</p>").format(post.context)
        if post.context
        else ""
    )
    return Markup(
        "<article class='pwc-post pwc-platform-{platform_id}' data-post-id='{post_id}'"
        " aria-label='{platform} post by {name}'>"
        "<div class='pwc-post-platform' style='background:{colour}'>"
        "<span class='pwc-platform-name'>{platform}</span>"
        "<span class='pwc-badge pwc-badge-{account}'>{account_label}</span></div>"
        "<div class='pwc-post-author'>"
        "<span class='pwc-avatar' style='background:{colour}' aria-hidden='true'>{initials}</span>"
        "<div><span class='pwc-name'>{name}</span>{handle}"
        "<div class='pwc-poster'>{poster}</div></div></div>"
        "<p class='pwc-post-text'>{text}</p>{context}</article>"
    ).format(
        platform_id=post.platform,
        post_id=post.id,
        platform=platform,
        colour=colour,
        account=post.account,
        account_label=ACCOUNT_LABELS[post.account],
        initials=initials(post.display_name),
        name=post.display_name,
        handle=handle,
        poster=post.poster[:1].upper() + post.poster[1:],
        text=post.text.strip(),
        context=context,
    )


class PostCard(widgets.HTML):
    """An HTML widget showing one post as a card (CSS class ``pwc-card``)."""

    def __init__(self, post: Post, **kwargs) -> None:
        super().__init__(value=str(post_card_html(post)), **kwargs)
        self.post = post
        self.add_class("pwc-card")
