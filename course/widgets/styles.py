"""The look of the course widgets: platform colours and one small style sheet.

Every colour pair used for text is checked for WCAG contrast in the tests (at least 4.5:1).
Cards and feedback boxes set both their text and background colours, so they stay readable in
JupyterLab's light and dark themes alike.
"""

from __future__ import annotations

import ipywidgets as widgets

# Badge colour per platform; white text sits on each (contrast checked in tests).
PLATFORM_COLOURS: dict[str, str] = {
    "facebook-page": "#1559c2",
    "facebook-profile": "#1559c2",
    "facebook-group": "#1559c2",
    "x": "#0f1419",
    "instagram": "#b1306e",
    "linkedin": "#0a66c2",
    "tiktok": "#25252b",
    "blog": "#6a3d9a",
    "website": "#2f5d50",
    "review-site": "#006b47",
    "direct-message": "#4a4fa3",
    "whatsapp": "#0b6b4f",
    "professional-forum": "#8a4500",
}

# (text, background) pairs used in the style sheet below, for the contrast test.
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
}

CSS = """
.pwc-post, .pwc-box {
  font-family: var(--jp-content-font-family, system-ui, sans-serif);
  font-size: 15px; line-height: 1.5; box-sizing: border-box;
  max-width: 40rem; margin: 6px 0; border-radius: 10px;
}
.pwc-post {
  background: #ffffff; color: #1f2328; border: 1px solid #c9d1d9;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.12); overflow: hidden;
}
.pwc-post-platform {
  display: flex; justify-content: space-between; align-items: center; gap: 8px;
  padding: 4px 12px; color: #ffffff; font-size: 13px; font-weight: 600;
}
.pwc-badge {
  display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px;
  font-weight: 600; line-height: 1.6;
}
.pwc-badge-professional { background: #e8f0fe; color: #0b3d91; }
.pwc-badge-personal { background: #fbeef5; color: #6b1f4a; }
.pwc-post-author { display: flex; align-items: center; gap: 10px; padding: 10px 12px 0; }
.pwc-avatar {
  flex: none; width: 40px; height: 40px; border-radius: 50%; color: #ffffff;
  display: flex; align-items: center; justify-content: center; font-weight: 700;
}
.pwc-name { font-weight: 700; color: #1f2328; }
.pwc-handle, .pwc-poster { color: #57606a; font-size: 13px; }
.pwc-post-text { margin: 8px 12px 10px; white-space: pre-wrap; color: #1f2328; }
.pwc-post-context {
  margin: 0; padding: 6px 12px; background: #f3f5f8; color: #3d4450; font-size: 13px;
  border-top: 1px solid #d8dee4;
}
.pwc-box { padding: 10px 14px; border-left: 5px solid; }
.pwc-box p, .pwc-box .pwc-para { margin: 0 0 6px; }
.pwc-box .pwc-para:last-child { margin-bottom: 0; }
.pwc-box ul { margin: 4px 0 6px 1.2rem; padding: 0; }
.pwc-box-correct { background: #e6f4ea; color: #0f3d1d; border-color: #1a7f37; }
.pwc-box-incorrect { background: #fdf1e4; color: #4a2500; border-color: #b35c00; }
.pwc-box-prompt, .pwc-box-better { background: #eaf1fb; color: #1d3557; border-color: #0b5cad; }
.pwc-box-situation { background: #f7f4ee; color: #1f2328; border-color: #8a6d3b; }
.pwc-box-summary { background: #ffffff; color: #1f2328; border-color: #0b5cad; }
.pwc-box-title { font-weight: 700; }
.pwc-quiz-count {
  margin: 4px 0; font-size: 15px; font-weight: 600;
  font-family: var(--jp-content-font-family, system-ui, sans-serif);
}
.pwc-widget .widget-radio-box label {
  height: auto; min-height: 24px; line-height: 1.4; white-space: normal; padding: 2px 0;
}
.pwc-widget .widget-radio-box input { flex: none; }
.pwc-widget .widget-label { white-space: normal; }
.pwc-widget .jupyter-button { height: auto; min-height: 30px; padding: 2px 14px; }
.pwc-widget .jupyter-button:focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
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
