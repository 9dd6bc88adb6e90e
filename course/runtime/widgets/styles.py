"""The look of the course widgets: platform colours and one small style sheet.

Every colour pair used for text is checked for WCAG contrast in the tests (at least 4.5:1).
Cards and feedback boxes set both their text and background colours, so they stay readable in
JupyterLab's light and dark themes alike.
"""

from __future__ import annotations

import ipywidgets as widgets

# (text, background) pairs used in the style sheet below, for the contrast test. A test also
# checks that every rule of the sheet that sets both a text and a background colour is here.
TEXT_PAIRS: dict[str, tuple[str, str]] = {
    "card text": ("#1f2328", "#ffffff"),
    "card muted": ("#57606a", "#ffffff"),
    "context line": ("#3d4450", "#f3f5f8"),
    "professional badge": ("#0b3d91", "#e8f0fe"),
    "personal badge": ("#6b1f4a", "#fbeef5"),
    "correct feedback": ("#0f3d1d", "#e6f4ea"),
    "incorrect feedback": ("#4a2500", "#fdf1e4"),
    "prompt feedback": ("#1d3557", "#eaf1fb"),
    "better path": ("#1d3557", "#eaf1fb"),
    "situation": ("#1f2328", "#f7f4ee"),
    "summary": ("#1f2328", "#ffffff"),
    "primary button": ("#ffffff", "#0b5cad"),
    "primary button, hover": ("#ffffff", "#084a8c"),
    "secondary button": ("#ffffff", "#00695c"),
    "secondary button, hover": ("#ffffff", "#004d40"),
}

# Sizes are relative to JupyterLab's content font size (Settings > Theme > Increase Content Font
# Size changes it), so the widgets grow with the lesson text around them.
CSS = """
.pwc-widget {
  font-family: var(--jp-content-font-family, system-ui, sans-serif);
  font-size: var(--jp-content-font-size1, 14px); line-height: 1.5;
}
.pwc-post, .pwc-box {
  font-size: 1em; line-height: 1.5; box-sizing: border-box;
  max-width: 46em; margin: 0.4em 0; border-radius: 10px;
}
.pwc-post {
  background: #ffffff; color: #1f2328; border: 1px solid #c9d1d9;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.12); overflow: hidden;
}
.pwc-post-platform {
  display: flex; justify-content: space-between; align-items: center; gap: 0.6em;
  padding: 0.3em 0.85em; color: #ffffff; font-size: 0.9em; font-weight: 600;
}
.pwc-badge {
  display: inline-block; padding: 0 0.6em; border-radius: 999px; font-size: 0.9em;
  font-weight: 600; line-height: 1.6;
}
.pwc-badge-professional { background: #e8f0fe; color: #0b3d91; }
.pwc-badge-personal { background: #fbeef5; color: #6b1f4a; }
.pwc-post-author { display: flex; align-items: center; gap: 0.7em; padding: 0.7em 0.85em 0; }
.pwc-avatar {
  flex: none; width: 2.8em; height: 2.8em; border-radius: 50%; color: #ffffff;
  display: flex; align-items: center; justify-content: center; font-weight: 700;
}
.pwc-name { font-weight: 700; color: #1f2328; }
.pwc-handle, .pwc-poster { color: #57606a; font-size: 0.9em; }
.pwc-post-text { margin: 0.55em 0.85em 0.7em; white-space: pre-wrap; color: #1f2328; }
.pwc-post-context {
  margin: 0; padding: 0.45em 0.85em; background: #f3f5f8; color: #3d4450; font-size: 0.9em;
  border-top: 1px solid #d8dee4;
}
.pwc-box { padding: 0.7em 1em; border-left: 5px solid; }
.pwc-box p, .pwc-box .pwc-para { margin: 0 0 0.4em; }
.pwc-box .pwc-para:last-child { margin-bottom: 0; }
.pwc-box ul { margin: 0.3em 0 0.4em 1.2em; padding: 0; }
.pwc-box-correct { background: #e6f4ea; color: #0f3d1d; border-color: #1a7f37; }
.pwc-box-incorrect { background: #fdf1e4; color: #4a2500; border-color: #b35c00; }
.pwc-box-prompt, .pwc-box-better { background: #eaf1fb; color: #1d3557; border-color: #0b5cad; }
.pwc-box-situation { background: #f7f4ee; color: #1f2328; border-color: #8a6d3b; }
.pwc-box-summary { background: #ffffff; color: #1f2328; border-color: #0b5cad; }
.pwc-box-title { font-weight: 700; }
.pwc-quiz-count { margin: 0.3em 0; font-weight: 600; }
.pwc-widget .widget-html-content, .pwc-widget .widget-label,
.pwc-widget .widget-radio-box label, .pwc-widget .jupyter-button, .pwc-widget textarea {
  font-family: inherit; font-size: var(--jp-content-font-size1, 14px);
}
.pwc-widget .widget-html-content { line-height: 1.5; }
.pwc-widget .widget-label {
  color: var(--jp-content-font-color1, #1f2328); font-weight: 600; text-align: left;
  white-space: normal; width: auto; height: auto; line-height: 1.5; margin: 0 0.8em 0 0;
  padding: 0;
}
.pwc-widget .widget-radio, .pwc-widget .widget-textarea {
  flex-direction: column; align-items: flex-start; width: 100%; max-width: 46em;
  line-height: 1.5;
}
/* full width means no side margins: ipywidgets' 2px margin pushed the box's right border out
   of its output area, which clips it (seen at 390 px) */
.pwc-widget .widget-textarea { margin-left: 0; margin-right: 0; }
.pwc-widget .widget-radio > .widget-label, .pwc-widget .widget-textarea > .widget-label {
  margin: 0 0 0.3em;
}
.pwc-widget .widget-radio-box { width: 100%; margin-bottom: 0; }
.pwc-widget .widget-radio-box label {
  display: flex; align-items: flex-start; gap: 0.5em; height: auto; min-height: 1.7em;
  line-height: 1.4; white-space: normal; overflow-wrap: anywhere; padding: 0.15em 0;
}
.pwc-widget .widget-radio-box input {
  flex: none; order: -1; float: none; height: auto; margin: 0.25em 0 0 1px;
}
.pwc-widget .widget-hprogress { width: 100%; max-width: 26em; align-items: center; }
.pwc-widget textarea { line-height: 1.5; }
.pwc-widget .jupyter-button {
  display: inline-flex; align-items: center; justify-content: center; height: auto;
  min-height: 2.2em; padding: 0.25em 1em; line-height: 1.4; white-space: normal;
  border-radius: 4px;
}
.pwc-widget .jupyter-button.pwc-primary { background: #0b5cad; color: #ffffff; }
.pwc-widget .jupyter-button.pwc-primary:hover:enabled { background: #084a8c; color: #ffffff; }
.pwc-widget .jupyter-button.pwc-secondary { background: #00695c; color: #ffffff; }
.pwc-widget .jupyter-button.pwc-secondary:hover:enabled { background: #004d40; color: #ffffff; }
.pwc-widget .jupyter-button:focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
.pwc-cpd-lessons { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.5em; }
.pwc-cpd-lessons th, .pwc-cpd-lessons td {
  text-align: left; vertical-align: top; padding: 0.25em 0.8em 0.25em 0;
  border-bottom: 1px solid #d8dee4;
}
.pwc-cpd-lessons .pwc-number { text-align: right; }
.pwc-cpd-lessons tfoot th, .pwc-cpd-lessons tfoot td { font-weight: 700; border-bottom: none; }
.pwc-cpd-lessons .pwc-not-done td { color: #57606a; }
.pwc-box a { color: #0b5cad; text-decoration: underline; }
.pwc-box code { overflow-wrap: anywhere; }
.pwc-widget .widget-checkbox { width: auto; }
.pwc-widget .widget-label-basic {
  font-family: inherit; font-size: var(--jp-content-font-size1, 14px); font-weight: 600;
  display: inline-flex; align-items: center; gap: 0.5em; height: auto; line-height: 1.5;
}
.pwc-cpd-help p { margin: 0 0 0.6em; }
.pwc-cpd-frame {
  width: 100%; max-width: 46em; height: 36em; border: 1px solid #c9d1d9; border-radius: 8px;
  background: #ffffff;
}
.jp-Notebook:has(.pwc-widget) .jp-CodeCell .jp-InputPlaceholder { display: none; }
"""


def style_widget() -> widgets.HTML:
    """An invisible widget carrying the style sheet; each course widget includes one."""
    sheet = widgets.HTML(f"<style>{CSS}</style>", layout=widgets.Layout(display="none"))
    return sheet.add_class("pwc-style")


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((relative_luminance(foreground), relative_luminance(background)))[::-1]
    return (high + 0.05) / (low + 0.05)
