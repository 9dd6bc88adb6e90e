"""An exercise page: the released notebook's posts and situations, each answer a control.

Every change is written at once into the learner's own copy (:mod:`course.app.exercise_copy`)
as the literal answer line, so the copy on disk is always what would be handed in.

DOM contract: ``.pwc-exercise`` holds, per answer, a radio group ``.pwc-answer`` with
``data-answer="post_07"`` on its container class ``pwc-answer-post_07`` and a group label
naming the item ("Post 7: your verdict"); per written part a textarea ``.pwc-policy-part``
(class ``pwc-answer-<part id>``); ``.pwc-save-status`` (polite live region); buttons
``pwc-check-answers`` -> ``.pwc-check-result``; ``pwc-submit`` -> ``.pwc-submit-result`` (with
``a.pwc-download``) and ``pwc-unsubmit``; ``pwc-mark`` (only when learners may mark their own)
-> ``.pwc-mark-result`` and ``iframe.pwc-feedback-frame``; ``pwc-new-attempt``. Through
nbgrader's exchange (``POSTING_WITH_CARE_SUBMIT=exchange``) the submit result says when the
answers were handed in (also after a reload), and ``pwc-get-feedback`` ->
``.pwc-exchange-feedback-result`` and ``iframe.pwc-feedback-frame`` (a feedback page already
fetched is shown again on opening the page).
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from pathlib import Path

import ipywidgets as widgets
from markupsafe import Markup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from course import answer_language as language
from course.app import exchange, exercise_copy, marking, self_assessment, settings, submit
from course.catalogue import bank
from course.catalogue.wording import long_date
from course.runtime import progress
from course.runtime.widgets import feedback
from course.runtime.widgets.classify import WIDE_LABEL, button
from course.runtime.widgets.styles import style_widget

INSTRUCTION_START = re.compile(r"^\*\*(First|How to answer|When you have finished)", re.I)
OPTION_LINE = re.compile(r"^\*\*([a-h])\)\*\*\s*(.+?)\s*$")
SKIPPED = {"setup", "reference", "check_heading", "check_all", "submit", "policy_check"}
HOW_TO = {
    "choice": (
        "Choose an answer under each post or situation. Each choice is saved {where} "
        "as soon as you make it, so you can stop and come back at any time. When you have "
        "finished, use <strong>Check my answers</strong> at the end, then hand it in."
    ),
    "policy": (
        "Write each part in its box. Your words are saved {where} as you type, so "
        "you can stop and come back at any time. When you have finished, use <strong>Check "
        "my answers</strong> at the end, then hand it in."
    ),
}
#: Where the learner's copy is kept, in their words: their own computer, or the course's hub.
WHERE_SAVED = {"download": "on this computer", "exchange": "in your course account"}
PAGE_CSS = """
.pwc-exercise .pwc-md { max-width: 46em; }
.pwc-exercise .pwc-md blockquote { margin: 0.4em 0; padding: 0.5em 1em; background: #f6f8fa;
  border-left: 4px solid #8c959f; color: #1f2328; }
.pwc-exercise .pwc-md table { border-collapse: collapse; margin: 0.4em 0; }
.pwc-exercise .pwc-md th, .pwc-exercise .pwc-md td { border: 1px solid #d0d7de;
  padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
.pwc-exercise .pwc-answer, .pwc-exercise .pwc-policy-part { margin: 0.3em 0 1.2em; }
.pwc-exercise .pwc-actions { border-top: 2px solid #0b5cad; margin-top: 1.5em; padding-top: 0.5em; }
.pwc-exercise .pwc-actions .widget-hbox { flex-wrap: wrap; gap: 0.5em; }
.pwc-exercise a.pwc-download { font-weight: 600; }
.pwc-feedback-frame { width: 100%; max-width: 52em; height: 40em; border: 1px solid #c9d1d9;
  border-radius: 8px; background: #ffffff; }
"""


def markdown(source: str) -> widgets.HTML:
    return widgets.HTML(markdown2html_mistune(source)).add_class("pwc-md")


def intro_text(source: str) -> str:
    """The intro without the notebook's how-to paragraphs (the app has its own)."""
    kept = []
    for paragraph in re.split(r"\n\s*\n", source.strip()):
        if INSTRUCTION_START.match(paragraph.strip()):
            break
        kept.append(paragraph)
    return "\n\n".join(kept)


def situation_options(source: str) -> tuple[str, dict[str, str]]:
    """A situation card without its ``**a)** …`` lines, and those options by letter."""
    kept, options = [], {}
    for line in source.splitlines():
        match = OPTION_LINE.match(line.strip())
        if match:
            options[match[1]] = match[2]
        else:
            kept.append(line)
    return "\n".join(kept).strip(), options


def question_label(source: str) -> str:
    match = re.search(r"\*\*(.+?)\*\*", source)
    return match[1] if match else ""


def choice_options(fmt: language.AnswerFormat, letters: dict[str, str]) -> list[tuple[str, str]]:
    if fmt.kind == "rule":
        rules = bank.rules()
        return [(feedback.rule_name(rules[r]), r) for r in fmt.choices()]
    if fmt.kind == "principle":
        principles = bank.principles()
        return [(f"{principles[p].name}: {first_sentence(principles[p].plain)}", p)
                for p in fmt.choices()]
    if fmt.kind == "letter":
        return [(f"{x}) {letters[x]}" if x in letters else x, x) for x in fmt.choices()]
    return [(v, v) for v in fmt.choices()]


def first_sentence(text: str) -> str:
    sentence = text.strip().split(". ")[0].rstrip(".")
    return sentence[:1].lower() + sentence[1:] + "."


def group_label(name: str, question: str, fmt: language.AnswerFormat) -> str:
    item = language.label(name).split(" (")[0]
    if fmt.kind == "verdict":
        return f"{item}: your verdict"
    if fmt.kind == "letter":
        return f"{item}: your response"
    return f"{item}: {question or fmt.kind}"


class ExercisePage(widgets.VBox):
    """One exercise, answered with controls; see the module's DOM contract."""

    def __init__(self, exercise_id: str) -> None:
        self.exercise_id = exercise_id
        self.settings = settings.current()
        self.spec = exercise_copy.spec(exercise_id)
        self.title = exercise_copy.released_title(exercise_id)
        self.path = exercise_copy.ensure_copy(exercise_id)
        self.choices: dict[str, widgets.RadioButtons] = {}
        self.parts: dict[str, widgets.Textarea] = {}
        self._loading = True
        body = self._body()
        self.save_status = widgets.HTML("").add_class("pwc-save-status")
        self.save_status.add_class("pwc-live")
        super().__init__([style_widget(), widgets.HTML(f"<style>{PAGE_CSS}</style>"), *body,
                          self.save_status, self._actions()])
        self.add_class("pwc-widget")
        self.add_class("pwc-exercise")
        self._load_answers()
        self._loading = False
        self._show_state()
        if self.settings.submit == "exchange":
            self._show_exchange_feedback(exchange.fetched_feedback(exercise_id))

    # --- the questions ------------------------------------------------------------------------
    def _body(self) -> list[widgets.Widget]:
        nb = exercise_copy.read(self.path)
        out: list[widgets.Widget] = []
        question = ""
        letters: dict[str, str] = {}
        for cell in nb.cells:
            grade_id = exercise_copy._grade_id(cell) or ""
            source = cell.source
            if grade_id in SKIPPED:
                continue
            if cell.cell_type == "code":
                name = grade_id.removeprefix("answer_")
                if grade_id.startswith("answer_") and name in self.spec.formats:
                    out.append(self._choice(name, question, letters))
                    question = ""
                continue
            if grade_id == "intro":
                kind = "policy" if self.spec.policy else "choice"
                out.append(markdown(intro_text(source)))
                how_to = HOW_TO[kind].format(where=WHERE_SAVED[self.settings.submit])
                out.append(widgets.HTML(f"<p>{how_to}</p>").add_class("pwc-md"))
            elif grade_id.startswith("part_"):
                out.append(markdown(source.strip().splitlines()[0]))
            elif grade_id.endswith("_question"):
                question = question_label(source)
            elif grade_id in self.spec.policy:
                out.append(self._part(grade_id))
            elif grade_id.endswith("_card"):
                text, letters = situation_options(source)
                out.append(markdown(text))
            else:
                out.append(markdown(source))
        return out

    def _choice(self, name: str, question: str, letters: dict[str, str]) -> widgets.Widget:
        fmt = self.spec.formats[name]
        control = widgets.RadioButtons(
            options=choice_options(fmt, letters), value=None,
            description=group_label(name, question, fmt), style=WIDE_LABEL,
            layout=widgets.Layout(width="auto"),
        ).add_class("pwc-answer").add_class(f"pwc-answer-{name}")
        control.observe(lambda change, n=name: self._chosen(n, change["new"]), names="value")
        self.choices[name] = control
        return control

    def _part(self, section_id: str) -> widgets.Widget:
        label = self.spec.policy[section_id].get("label", section_id)
        control = widgets.Textarea(
            value="", description=f"Your words: {label}", rows=6,
            placeholder="Write this part of your policy here.",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="46em"),
        ).add_class("pwc-policy-part").add_class(f"pwc-answer-{section_id}")
        control.observe(lambda change, s=section_id: self._written(s, change["new"]),
                        names="value")
        self.parts[section_id] = control
        return control

    def _load_answers(self) -> None:
        chosen = exercise_copy.current_answers(self.path, self.spec)
        for name, control in self.choices.items():
            valid = [value for _, value in control.options]
            control.value = chosen.get(name) if chosen.get(name) in valid else None
        written = exercise_copy.current_policy(self.path, self.spec)
        for section_id, control in self.parts.items():
            control.value = written.get(section_id, "")

    # --- saving each change -------------------------------------------------------------------
    def _saved(self, ok: bool, error: OSError | None = None) -> None:
        when = datetime.now().strftime("%H:%M")
        if ok:
            where = WHERE_SAVED[self.settings.submit]
            self.save_status.value = f"<p>Saved {where} ({when}).</p>"
        else:
            reason = escape(error.strerror or "") if error else ""
            self.save_status.value = (
                f"<p role='alert'>Sorry, your last answer could not be saved ({reason}). "
                "Please try again.</p>"
            )

    def _chosen(self, name: str, value: str | None) -> None:
        if self._loading or value is None:
            return
        try:
            exercise_copy.write_answer(self.path, name, value)
        except OSError as error:
            self._saved(False, error)
            return
        self._saved(True)

    def _written(self, section_id: str, text: str) -> None:
        if self._loading:
            return
        try:
            exercise_copy.write_policy(self.path, section_id, text)
        except OSError as error:
            self._saved(False, error)
            return
        self._saved(True)

    # --- check, submit, mark, new attempt -----------------------------------------------------
    def _actions(self) -> widgets.Widget:
        self.check = button("Check my answers", "pwc-check-answers",
                            "List anything still to answer (never what is right)")
        self.check_result = feedback.feedback_area("pwc-check-result")
        self.submit = button("Submit", "pwc-submit", "Hand in your answers")
        self.unsubmit = button("Change my answers", "pwc-unsubmit",
                               "Unlock your answers to change them", "secondary")
        self.submit_result = feedback.feedback_area("pwc-submit-result")
        self.mark = button("Mark my exercise", "pwc-mark",
                           "Lock your answers and mark them now")
        self.mark_result = feedback.feedback_area("pwc-mark-result")
        self.report = widgets.HTML("").add_class("pwc-feedback-report")
        self.own_marks = widgets.VBox([])
        self.again = button("New attempt", "pwc-new-attempt",
                            "Start a fresh copy of this exercise", "secondary")
        self.check.on_click(self._check)
        self.submit.on_click(self._submit)
        self.unsubmit.on_click(self._unsubmit)
        self.mark.on_click(self._mark)
        self.again.on_click(self._new_attempt)
        parts: list[widgets.Widget] = [
            widgets.HTML("<h2>Check and hand in</h2>"),
            self.check, self.check_result,
            widgets.HTML(self._submit_help()), widgets.HBox([self.submit, self.unsubmit]),
            self.submit_result,
        ]
        if self.settings.submit == "exchange":
            self.get_feedback = button("See my feedback", "pwc-get-feedback",
                                       "Fetch your feedback once your trainer has released it")
            self.get_feedback.on_click(self._exchange_feedback)
            self.exchange_result = feedback.feedback_area("pwc-exchange-feedback-result")
            self.exchange_report = widgets.HTML("").add_class("pwc-feedback-report")
            parts += [
                widgets.HTML("<h3>Your feedback</h3><p>When your trainer has marked the "
                             "exercise and released the feedback, <strong>See my feedback"
                             "</strong> shows your own feedback page here.</p>"),
                self.get_feedback, self.exchange_result, self.exchange_report,
            ]
        if self.settings.self_marking:
            parts += [
                widgets.HTML(
                    "<h3>Learning on your own?</h3><p><strong>Mark my exercise</strong> locks "
                    "your answers and marks them now, with the course's own marker, then shows "
                    "your feedback here. The score of your first marked attempt is the one your "
                    "CPD record shows. <strong>New attempt</strong> then starts a fresh copy.</p>"
                ),
                self.mark, self.mark_result, self.report, self.own_marks,
            ]
        parts.append(self.again)
        return widgets.VBox(parts).add_class("pwc-actions")

    def _submit_help(self) -> str:
        if self.settings.submit == "exchange":
            return ("<p><strong>Submit</strong> hands your answers in to your course. They are "
                    "then locked; you can unlock them to change them.</p>")
        return ("<p><strong>Submit</strong> locks your answers and gives you a file to hand in: "
                "download it, then upload it to your course page or send it to your trainer, "
                "keeping its name.</p>")

    def _lock(self, locked: bool) -> None:
        for control in [*self.choices.values(), *self.parts.values()]:
            control.disabled = locked

    def _show_state(self) -> None:
        data = exercise_copy.state(self.exercise_id)
        status = data["status"]
        self._lock(status in ("submitted", "marked"))
        self.submit.layout.display = "none" if status in ("submitted", "marked") else "flex"
        self.unsubmit.layout.display = "flex" if status == "submitted" else "none"
        self.mark.layout.display = "none" if status == "marked" else "flex"
        # through the exchange, "Change my answers" is the way on from a hand-in (a fresh copy
        # would only hide the answers handed in)
        fresh = ("marked",) if self.settings.submit == "exchange" else ("submitted", "marked")
        self.again.layout.display = "flex" if status in fresh else "none"
        if status == "submitted" and not self.submit_result.value:
            if self.settings.submit == "exchange":
                self._show_handed_in(data)
            else:
                self._show_download()
        if status == "marked" and not self.mark_result.value:
            self._show_marked(data)

    def _unanswered(self) -> tuple[list[str], list[str]]:
        chosen = exercise_copy.current_answers(self.path, self.spec)
        todo = [language.label(name) for name, value in chosen.items() if value is None]
        texts = exercise_copy.current_policy(self.path, self.spec)
        hints = language.policy_gaps(texts, self.spec.policy) if self.spec.policy else []
        return todo, hints

    def _check(self, _button: widgets.Button | None = None) -> None:
        todo, hints = self._unanswered()
        total = len(self.spec.formats)
        parts: list[str | Markup] = []
        if self.spec.formats:
            parts.append(f"You have answered {total - len(todo)} of {total}.")
        if todo:
            parts.append("Still to answer: " + ", ".join(todo) + ".")
        if hints:
            parts.append(Markup("Parts that could say more (a hint, not a mark):<ul>{}</ul>")
                         .format(Markup("").join(Markup("<li>{}</li>").format(h)
                                                 for h in hints)))
        parts.append("This check never says whether an answer is right: your feedback will.")
        if todo or hints:
            title = "A few things are still to do."
            kind = "prompt"
        else:
            title = "Everything is answered. You can hand it in."
            kind = "correct"
        feedback.show(self.check_result, kind, feedback.box(kind, title, *parts))

    def _show_download(self) -> None:
        feedback.show(self.submit_result, "correct", feedback.box(
            "correct", "Your answers are ready to hand in.",
            Markup(submit.download_link(self.path)),
            "Upload this file to your course page, or send it to your trainer, as you were "
            "asked. Keep its name.",
        ))

    def _submit(self, _button: widgets.Button | None = None) -> None:
        if self.settings.submit == "exchange":
            try:
                message = submit.exchange_submit(self.exercise_id, self.path)
            except submit.SubmitNotAvailable as error:
                feedback.show(self.submit_result, "prompt", feedback.box(
                    "prompt", "Your answers could not be handed in here.", str(error),
                    Markup(submit.download_link(self.path))))
                return
            self._show_handed_in(exercise_copy.mark_submitted(self.exercise_id, True), message)
        else:
            exercise_copy.mark_submitted(self.exercise_id, True)
            self._show_download()
        self._show_state()

    def _unsubmit(self, _button: widgets.Button | None = None) -> None:
        exercise_copy.mark_submitted(self.exercise_id, False)
        feedback.clear(self.submit_result)
        self._show_state()

    def _show_handed_in(self, data: dict, message: str = exchange.HANDED_IN_NOTE) -> None:
        try:
            when = datetime.fromisoformat(data.get("submitted", ""))
            title = f"Handed in on {long_date(when)} at {when:%H:%M}."
        except ValueError:
            title = "Handed in."
        feedback.show(self.submit_result, "correct", feedback.box("correct", title, message))

    def _exchange_feedback(self, _button: widgets.Button | None = None) -> None:
        page = exchange.feedback_page(self.exercise_id)
        if page is None:
            feedback.show(self.exchange_result, "prompt", feedback.box(
                "prompt", "No feedback yet.",
                "Your trainer releases feedback after marking. Please try again later."))
            return
        self._show_exchange_feedback(page)

    def _show_exchange_feedback(self, page: Path | None) -> None:
        if page is None:
            return
        data = exercise_copy.state(self.exercise_id)
        if data["status"] == "submitted":  # marked now: no more "hand in again until collected"
            self._show_handed_in(data, "Your trainer has marked it: your feedback is below.")
        score = exchange.feedback_score(page)
        title = (f"Your mark: {score[0]:g} of {score[1]:g}." if score
                 else "Your feedback is ready.")
        feedback.show(self.exchange_result, "correct",
                      feedback.box("correct", title, "Your feedback is below."))
        self.exchange_report.value = str(Markup(
            "<iframe class='pwc-feedback-frame' title='Your feedback' sandbox='' "
            "srcdoc='{}'></iframe>").format(page.read_text(encoding="utf-8")))

    def _show_marked(self, data: dict) -> None:
        if self.spec.policy:
            self._show_own_marking(data)
            return
        pending = (" The written parts are marked by an assessor, so they are not in this "
                   "score." if data.get("manual_pending") else "")
        feedback.show(self.mark_result, "correct", feedback.box(
            "correct", f"Your mark: {data.get('score', 0):g} of {data.get('max_score', 0):g}.",
            f"Your feedback is below.{pending}"))
        html = marking.marking_dir(self.path) / "feedback"
        pages = sorted(html.glob("*.html")) if html.is_dir() else []
        if pages:
            self.report.value = str(Markup(
                "<iframe class='pwc-feedback-frame' title='Your feedback' sandbox='' "
                "srcdoc='{}'></iframe>").format(pages[0].read_text(encoding="utf-8")))

    def _show_own_marking(self, data: dict) -> None:
        """Written parts (Exercise 3, which has nothing else): nobody else reads them when
        learning alone, so the learner marks each against the rubric
        (:mod:`course.app.self_assessment`); their marks are the attempt's score."""
        feedback.show(self.mark_result, "correct", feedback.box(
            "correct", "Your policy is locked for marking.",
            "Now mark each written part yourself, below."))
        written = exercise_copy.current_policy(self.path, self.spec)
        self.own_marks.children = [self_assessment.SelfAssessment(
            self.exercise_id, written, self._save_own_marks)]

    def _save_own_marks(self, total: int, max_total: int) -> None:
        data = exercise_copy.state(self.exercise_id)
        data.setdefault("first_marked", {"score": total, "max_score": max_total,
                                         "when": datetime.now().isoformat(timespec="seconds"),
                                         "attempt": data["attempt"], "title": self.title,
                                         "manual_pending": False, "self_assessed": True})
        data.update(score=total, max_score=max_total, manual_pending=False, self_assessed=True)
        exercise_copy.save_state(self.exercise_id, data)
        progress.record_exercise_attempt(self.exercise_id, title=self.title, score=total,
                                         max_score=max_total, self_assessed=True)

    def _mark(self, _button: widgets.Button | None = None) -> None:
        if not self.settings.self_marking:
            return
        self._lock(True)
        self.mark.disabled = True
        feedback.show(self.mark_result, "prompt", feedback.box("prompt", "Marking…"))
        try:
            result = marking.mark(self.exercise_id, self.path)
        except marking.MarkingError as error:
            self.mark.disabled = False
            self._show_state()
            feedback.show(self.mark_result, "incorrect",
                          feedback.box("incorrect", "Your exercise could not be marked.",
                                       str(error)))
            return
        data = exercise_copy.state(self.exercise_id)
        now = datetime.now().isoformat(timespec="seconds")
        data.update(status="marked", marked=now, score=result.score,
                    max_score=result.max_score, manual_pending=result.manual_pending)
        if not self.spec.policy:  # written parts: the learner's own marks come later
            data.setdefault("first_marked", {"score": result.score,
                                             "max_score": result.max_score, "when": now,
                                             "attempt": data["attempt"], "title": self.title,
                                             "manual_pending": result.manual_pending})
        exercise_copy.save_state(self.exercise_id, data)
        if result.max_score > 0 and not self.spec.policy:
            # The one record of exercise attempts, which the CPD record reads (written parts
            # are recorded when the learner saves their own marks: _save_own_marks).
            progress.record_exercise_attempt(self.exercise_id, title=self.title,
                                             score=result.score, max_score=result.max_score)
        self.mark.disabled = False
        self._show_marked(data)
        self._show_state()

    def _new_attempt(self, _button: widgets.Button | None = None) -> None:
        self.path = exercise_copy.new_attempt(self.exercise_id)
        self._loading = True
        self._load_answers()
        self._loading = False
        for area in (self.check_result, self.submit_result, self.mark_result):
            feedback.clear(area)
        self.report.value = ""
        self.own_marks.children = []
        self.save_status.value = "<p>A fresh copy is ready. Your earlier attempt is kept.</p>"
        self._show_state()
