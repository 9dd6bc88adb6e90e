"""The course widgets (ipywidgets 8): post card, classify, quiz, branching response, reflection,
the learner's CPD record, and the trainer's discussion deck. Lessons use them through
:mod:`course.runtime.show`.

DOM contract (stable: browser tests select by these roles, labels and classes)
------------------------------------------------------------------------------
Every widget's root element has the class ``pwc-widget`` plus its own class below. Buttons are
``<button>`` elements whose accessible name is their label, with the class ``pwc-primary`` or
``pwc-secondary`` (the course's own colours; no ipywidgets ``button_style``); radios are
``.widget-radio-box label > input[type=radio]`` whose accessible name is the label text, and
the group's visible label is its description (``.widget-label``). Disabled means locked.

Post card (``PostCard``; also inside every classify, quiz item and discussion deck)
    HTML widget ``.pwc-card`` containing ``article.pwc-post`` with ``data-post-id="pNNN"``,
    ``aria-label="<Platform> post by <display name>"``; inside: ``.pwc-platform-name``,
    ``.pwc-badge.pwc-badge-professional`` | ``.pwc-badge-personal``, ``.pwc-avatar``,
    ``.pwc-name``, ``.pwc-handle`` (if any), ``.pwc-poster`` (whose account it is, capitalised,
    e.g. "A counsellor in private practice"), ``.pwc-post-text``, ``.pwc-post-context`` (if
    any). All text is HTML-escaped.

Classify (``.pwc-classify``)
    radio group ``.pwc-verdict``, description "Your verdict", labels exactly ``acceptable`` and
    ``not acceptable`` (use ``get_by_label("acceptable", exact=True)``); nothing chosen at first;
    button ``button.pwc-check`` "Check my answer"; feedback ``.pwc-feedback.pwc-verdict-feedback``,
    which after a check also has ``.pwc-correct`` or ``.pwc-incorrect`` (``.pwc-prompt`` when
    nothing was chosen; the prompt clears when a choice is made). The first check of a chosen
    verdict locks the radios and the button. Its title (after an ``aria-hidden`` ✓ or ✗ mark)
    is "Well judged: this post is <verdict>." or "Not quite: this post is <verdict>. …".
    Acceptable posts (and every post when there is no follow-up): the box also names
    "No rule is broken here." or "Rule N: <title>", the principle(s), and "Why: <explanation>".
    Not-acceptable posts with the follow-up: the box only asks "Which rule does it break? …";
    the follow-up box ``.pwc-followup`` becomes visible: radio group ``.pwc-rule-choice``,
    description "Which rule does it break?", labels "Rule 1: <title>" … "Rule 6: <title>" (the
    titles in ``content/framework.yaml``); button ``button.pwc-check-rule`` "Check the rule";
    feedback ``.pwc-feedback.pwc-rule-feedback`` + ``.pwc-correct`` | ``.pwc-incorrect`` |
    ``.pwc-prompt``, text beginning "Yes: this post breaks Rule N: …" or "Not this one. Rule N,
    “…”, is about something else." and then giving the rule(s) it breaks, the principle(s) and
    "Why: <explanation>". A rule check of a chosen rule locks the rule radios and button.

Quiz (``.pwc-quiz``)
    status ``.pwc-quiz-status`` ("Post 1 of 10" before the first answer, then
    "Post 2 of 10 · 1 right so far"; "Retry round: post 1 of 3" in a retry round); progress bar
    ``.pwc-progress`` (IntProgress, description "Progress"; value = posts answered this round,
    0 at the start of every round; max = posts in the round); the current item is a
    ``.pwc-classify`` inside ``.pwc-quiz-item`` (no follow-up); button ``button.pwc-next``
    "Next post" ("See my score" on the last post), shown after each check; at the end, summary
    ``.pwc-quiz-summary`` ("You judged N of M posts right at the first try." and a
    ``ul.pwc-missed`` list, one ``li`` per missed post: "<Platform>: “<first ~60 characters>…”",
    never the verdict), button ``button.pwc-retry`` "Try the missed ones again" (only when some
    were missed) and ``button.pwc-restart`` "Start the quiz again". Hidden controls have
    ``display: none``. In a lesson, finishing a full round records the lesson in the CPD
    progress, and the summary ends with ``.pwc-progress-note`` ("This lesson now counts towards
    your CPD record, …", or why it could not be saved).

Branching (``.pwc-branching``)
    situation ``.pwc-situation``; radio group ``.pwc-response-choice``, description
    "Your response", labels = the option texts of ``content/responses.yaml``; button
    ``button.pwc-see`` "See what happens"; consequence ``.pwc-feedback.pwc-consequence`` +
    ``.pwc-correct`` (the best option; text begins "This is the better path.") |
    ``.pwc-incorrect`` ("Here is what could happen.") | ``.pwc-prompt``, emptied (no state
    class) when another option is chosen; after any choice, ``.pwc-better-path`` (text begins
    "The better path").

Reflection (``.pwc-reflection``)
    textarea ``.pwc-reflection-text`` labelled "Your reflection"; button ``button.pwc-save``
    "Save my reflection"; status ``.pwc-reflection-status`` ("Saved on this computer only
    (HH:MM).").

CPD record (``.pwc-cpd-record``)
    ``.pwc-cpd-table``: a summary box titled "Your CPD so far: N minutes, from K of 8 lessons"
    holding ``table.pwc-cpd-lessons``, one ``tbody tr[data-lesson="NN-slug"]`` per lesson
    (cells: "N. <title>", CPD minutes, "Completed on" date such as "3 March 2025" or
    "Not yet", quiz score "S of P" or "–"; not-done rows also have ``.pwc-not-done``) and a
    ``tfoot`` row "Total completed"; checkbox ``.pwc-cpd-include-reflections`` labelled
    "Include my reflections" (unticked at first); text box ``.pwc-cpd-name`` labelled "Your
    name (optional)"; button ``button.pwc-create-record`` "Create my CPD record"; status
    ``.pwc-cpd-status`` (after creating: a box titled "Your CPD record is ready." with the
    download link ``a.pwc-cpd-download``, the file's path ``code.pwc-cpd-path`` and its
    ``file://`` address ``code.pwc-cpd-address``); ``.pwc-cpd-preview`` holds the record in
    ``iframe.pwc-cpd-frame`` (sandboxed, titled "Your CPD record").

Discussion deck, facilitator guide only (``.pwc-discussion``)
    ``.pwc-discussion-count`` ("Scenario 1 of N (pNNN, easy|medium|hard)"), ``.pwc-card``,
    ``.pwc-discussion-prompt``, button ``button.pwc-reveal`` "Show the verdict" ->
    ``.pwc-verdict-reveal``; buttons ``button.pwc-previous`` "Previous scenario" and
    ``button.pwc-next`` "Next scenario".

Inside feedback areas, boxes are ``div.pwc-box.pwc-box-<kind>`` (kind: correct, incorrect,
prompt, better, situation, summary) with ``role="status"`` for feedback, and a first line
``p.pwc-box-title``. In correct and incorrect boxes that line starts with an ``aria-hidden``
"✓ " or "✗ " mark; "text begins" above means the text after the mark. A feedback area's state
class and text change in one message, so they arrive together.

The style sheet (``.pwc-style``, in every widget) also hides the collapsed-code placeholders
(``.jp-InputPlaceholder`` of code cells) in a notebook that shows a course widget.
"""

from course.runtime.widgets.branching import Branching
from course.runtime.widgets.classify import Classify
from course.runtime.widgets.cpd_record import CpdRecord
from course.runtime.widgets.discussion import Discussion
from course.runtime.widgets.post_card import PostCard, post_card_html
from course.runtime.widgets.quiz import Quiz
from course.runtime.widgets.reflection import Reflection

__all__ = [
    "Branching",
    "Classify",
    "CpdRecord",
    "Discussion",
    "PostCard",
    "Quiz",
    "Reflection",
    "post_card_html",
]
