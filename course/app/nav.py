"""The header and footer every app page shows: the course's name, Previous / Next and Home,
and the app's page style (readable width, no notebook prompts, comfortable on a phone).

DOM contract (browser tests rely on it): ``header.pwc-app-header`` holds
``a.pwc-app-name`` ("Posting with Care", to the home page) and
``nav.pwc-app-nav[aria-label="Course pages"]`` with ``a.pwc-nav-home`` ("Home"),
``a.pwc-nav-previous`` ("Previous: <title>") and ``a.pwc-nav-next`` ("Next: <title>") where
there is such a page. The footer (``nav.pwc-app-footer``, "More pages") repeats the links.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

COURSE_NAME = "Posting with Care"

PAGE_CSS = """
body, body.jp-Notebook { background: #ffffff; }
#rendered_cells { padding: 0 1rem; }
.jp-Cell, .jp-Notebook .jp-Cell { max-width: 52rem; margin-left: auto; margin-right: auto; }
.jp-InputPrompt, .jp-OutputPrompt, .jp-InputArea-prompt, .jp-OutputArea-prompt {
  display: none !important;
}
.jp-RenderedHTMLCommon { font-size: 1rem; line-height: 1.6; color: #1f2328; }
.jp-RenderedHTMLCommon a, .pwc-app a { color: #0b5cad; }
.pwc-app-header, .pwc-app-footer {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: 0.5rem 1rem; padding: 0.6rem 0; border-bottom: 2px solid #0b5cad;
  font-family: system-ui, sans-serif; font-size: 1rem;
}
.pwc-app-footer { border-bottom: none; border-top: 2px solid #0b5cad; margin-top: 1.5rem; }
.pwc-app-name { font-weight: 700; font-size: 1.15rem; color: #0b3d91 !important;
  text-decoration: none; }
.pwc-app-nav ul { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; list-style: none;
  margin: 0; padding: 0; }
.pwc-app-nav a { display: inline-block; padding: 0.35rem 0.1rem; color: #0b5cad;
  text-decoration: underline; }
.pwc-app-nav a:focus-visible, .pwc-app-name:focus-visible, .pwc-app a:focus-visible {
  outline: 3px solid #0b5cad; outline-offset: 2px; }
@media (max-width: 600px) {
  #rendered_cells { padding: 0 0.4rem; }
  .jp-RenderedHTMLCommon { font-size: 1rem; }
  .jp-Cell { padding: 0.2rem 0 !important; }
}
"""


def page_style() -> widgets.HTML:
    return widgets.HTML(f"<style>{PAGE_CSS}</style>", layout=widgets.Layout(display="none"))


def neighbours(sequence: list[tuple[str, str]], name: str) -> tuple[tuple[str, str] | None, ...]:
    names = [n for n, _ in sequence]
    if name not in names:
        return None, None
    index = names.index(name)
    before = sequence[index - 1] if index > 0 else None
    after = sequence[index + 1] if index + 1 < len(sequence) else None
    return before, after


def links(sequence: list[tuple[str, str]], name: str) -> Markup:
    before, after = neighbours(sequence, name)
    items = []
    if name != "home":
        items.append(Markup("<li><a class='pwc-nav-home' href='home.ipynb'>Home</a></li>"))
    if before is not None and before[0] != "home":
        items.append(
            Markup("<li><a class='pwc-nav-previous' rel='prev' href='{}.ipynb'>"
                   "<span aria-hidden='true'>← </span>Previous: {}</a></li>").format(*before)
        )
    if after is not None:
        items.append(
            Markup("<li><a class='pwc-nav-next' rel='next' href='{}.ipynb'>Next: {}"
                   "<span aria-hidden='true'> →</span></a></li>").format(*after)
        )
    return Markup("<ul>{}</ul>").format(Markup("").join(items))


def header(sequence: list[tuple[str, str]], name: str) -> widgets.HTML:
    html = Markup(
        "<header class='pwc-app-header'><a class='pwc-app-name' href='home.ipynb'>{}</a>"
        "<nav class='pwc-app-nav' aria-label='Course pages'>{}</nav></header>"
    ).format(COURSE_NAME, links(sequence, name))
    return widgets.HTML(str(html)).add_class("pwc-app")


def footer(sequence: list[tuple[str, str]], name: str) -> widgets.HTML:
    html = Markup(
        "<nav class='pwc-app-footer pwc-app-nav' aria-label='More pages'>{}</nav>"
    ).format(links(sequence, name))
    return widgets.HTML(str(html)).add_class("pwc-app")


def room_vote(path: str) -> widgets.HTML:
    """The marker that starts the room's vote on this page (the page template's
    ``room-vote.js``): only drawn on the room's hub, for a learner. Invisible by itself."""
    html = Markup("<div class='pwc-room-vote' data-vote='{}' hidden></div>").format(path)
    return widgets.HTML(str(html), layout=widgets.Layout(display="none"))


def intro(title: str, text: str) -> widgets.HTML:
    """A page's heading and one line about it."""
    html = Markup("<h1 class='pwc-page-title'>{}</h1><p>{}</p>").format(title, text)
    return widgets.HTML(str(html)).add_class("pwc-app")
