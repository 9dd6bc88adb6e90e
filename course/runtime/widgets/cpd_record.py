"""CPD record: the learner's lessons, minutes, dates and quiz scores so far, and buttons that
create a printable record of them and a PDF of it (see :mod:`course.runtime.cpd`). The record
is self-declared and says so.

When PDFs cannot be made on this computer, the PDF button is disabled and a note beside it says
why in plain words; the printable page works all the same.

The table refreshes when a lesson's quiz is finished in the same kernel, and again when the
record is created. The name is used only in the record file and kept nowhere else; reflections
go in only when the learner ticks the box.
"""

from __future__ import annotations

import base64
from pathlib import Path

import ipywidgets as widgets
from markupsafe import Markup

from course import pdf
from course.catalogue.wording import long_date
from course.runtime import progress
from course.runtime.cpd import record
from course.runtime.widgets import feedback
from course.runtime.widgets.classify import button
from course.runtime.widgets.styles import style_widget


class CpdRecord(widgets.VBox):
    """The learner's CPD so far, with "Create my CPD record"."""

    def __init__(self) -> None:
        self.table = widgets.HTML("").add_class("pwc-cpd-table")
        self.include = widgets.Checkbox(
            value=False, description="Include my reflections", indent=False
        ).add_class("pwc-cpd-include-reflections")
        include_note = widgets.HTML(
            "<p>Your reflections are private. They go into the record only if you tick this "
            "box.</p>"
        ).add_class("pwc-cpd-help")
        self.name = widgets.Text(
            value="",
            description="Your name (optional)",
            placeholder="As you would like it to appear on the record",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="40rem"),
        ).add_class("pwc-cpd-name")
        name_note = widgets.HTML(
            "<p>Your name appears on the record you create. Each record is saved, with your "
            "name on it, in the course's private folder on this computer; your name is not "
            "saved anywhere else or sent anywhere.</p>"
        ).add_class("pwc-cpd-help")
        self.create = button(
            "Create my CPD record",
            "pwc-create-record",
            "Make a printable record of your CPD, kept on this computer",
        )
        self.create_pdf = button(
            "Create a PDF of my CPD record",
            "pwc-create-pdf",
            "Make a PDF of your CPD record, kept on this computer",
        )
        unavailable = pdf.unavailable_reason()
        self.pdf_note = widgets.HTML(
            "" if unavailable is None else str(Markup(
                "<p>A PDF can't be made on this computer: {} Your CPD record page works all "
                "the same: open it and print it, or choose “Save as PDF” in the print window."
                "</p>").format(unavailable[0].upper() + unavailable[1:]))
        ).add_class("pwc-cpd-help").add_class("pwc-cpd-pdf-note")
        self.create_pdf.disabled = unavailable is not None
        self.status = widgets.HTML("").add_class("pwc-cpd-status")
        self.preview = widgets.HTML("").add_class("pwc-cpd-preview")
        self.path: Path | None = None
        self.pdf_path: Path | None = None
        self.create.on_click(self._create)
        self.create_pdf.on_click(self._create_pdf)
        super().__init__(
            [
                style_widget(),
                self.table,
                self.include,
                include_note,
                self.name,
                name_note,
                self.create,
                self.create_pdf,
                self.pdf_note,
                self.status,
                self.preview,
            ]
        )
        self.add_class("pwc-widget")
        self.add_class("pwc-cpd-record")
        self.refresh()
        progress.watch(self)

    def refresh(self) -> None:
        """Show the saved progress as it is now."""
        self.table.value = progress_table(record.rows())

    def _create(self, _button: widgets.Button | None = None) -> None:
        self.refresh()
        try:
            path = record.create(name=self.name.value, include_reflections=self.include.value)
            page = path.read_text(encoding="utf-8")
        except OSError as error:
            self.status.value = feedback.box(
                "incorrect",
                "Sorry, your CPD record could not be saved.",
                f"The computer said: {error.strerror or error}.",
            )
            self.preview.value = ""
            return
        self.path = path
        with self.status.hold_sync(), self.preview.hold_sync():
            self.status.value = created_message(path, page)
            self.preview.value = preview(page)

    def _create_pdf(self, _button: widgets.Button | None = None) -> None:
        self.refresh()
        try:
            path = record.create_pdf(name=self.name.value, include_reflections=self.include.value)
        except pdf.PdfUnavailable as error:
            self.status.value = feedback.box(
                "incorrect", "Sorry, a PDF can't be made on this computer.",
                f"{error} Choose “Create my CPD record” instead, then print the page or save "
                "it as a PDF from the print window.",
            )
            return
        except OSError as error:
            self.status.value = feedback.box(
                "incorrect",
                "Sorry, your CPD record could not be saved.",
                f"The computer said: {error.strerror or error}.",
            )
            return
        self.pdf_path = path
        self.status.value = created_pdf_message(path)


def progress_table(rows: list[record.LessonRow]) -> str:
    """The lessons with their minutes, completion dates and first-try quiz scores."""
    done = [row for row in rows if row.completion]
    minutes = record.completed_minutes(rows)
    body = Markup("").join(_row(row) for row in rows)
    table = Markup(
        "<table class='pwc-cpd-lessons'><thead><tr><th scope='col'>Lesson</th>"
        "<th scope='col' class='pwc-number'>CPD minutes</th><th scope='col'>Completed on</th>"
        "<th scope='col'>Quiz score at the first try</th></tr></thead><tbody>{}</tbody>"
        "<tfoot><tr><th scope='row'>Total completed</th><td class='pwc-number'>{}</td>"
        "<td colspan='2'>of {} minutes</td></tr></tfoot></table>"
    ).format(body, minutes, sum(row.minutes for row in rows))
    title = Markup("Your CPD so far: {} minutes, from {} of {} lessons").format(
        minutes, len(done), len(rows)
    )
    attempts = list(progress.load_exercise_attempts().values())
    exercises: list[str | Markup] = []
    if attempts:
        exercises.append(Markup("<strong>Exercises you marked</strong> (first attempt): {}.")
                         .format(Markup("; ").join(
                             Markup("{}: {} of {}").format(a.title, f"{a.first_score:g}",
                                                           f"{a.max_score:g}")
                             for a in attempts)))
    return feedback.box(
        "summary",
        title,
        table,
        "A lesson counts as completed when you reach the end of its quiz and see your score. "
        "The score counts your first answer to each post.",
        *exercises,
        role=None,
    )


def _row(row: record.LessonRow) -> Markup:
    name = Markup("{}. {}").format(row.lesson.number, row.lesson.title)
    if row.completion is None:
        return Markup(
            "<tr class='pwc-not-done' data-lesson='{}'><td>{}</td><td class='pwc-number'>{}</td>"
            "<td>Not yet</td><td>–</td></tr>"
        ).format(row.lesson.id, name, row.minutes)
    return Markup(
        "<tr data-lesson='{}'><td>{}</td><td class='pwc-number'>{}</td><td>{}</td>"
        "<td>{} of {}</td></tr>"
    ).format(
        row.lesson.id,
        name,
        row.minutes,
        long_date(row.completion.first_completed),
        row.completion.first_score,
        row.completion.posts,
    )


def created_message(path: Path, page: str) -> str:
    """Where the record is, and how to open, keep and print it, in plain words."""
    data = base64.b64encode(page.encode("utf-8")).decode("ascii")
    link = Markup(
        "<a class='pwc-cpd-download' download='{name}' href='data:text/html;base64,{data}'>"
        "Save {name} to my computer</a>"
    ).format(name=path.name, data=data)
    return feedback.box(
        "summary",
        "Your CPD record is ready.",
        Markup(
            "<strong>To keep or print it:</strong> {}. Your browser puts it in your Downloads "
            "folder. Open it from there, then print it, or choose “Save as PDF” in the print "
            "window."
        ).format(link),
        Markup(
            "A copy is also saved on this computer, in the course's private folder, as "
            "<code class='pwc-cpd-path'>{}</code>. To open that copy, paste this address into "
            "your web browser's address bar: <code class='pwc-cpd-address'>{}</code>"
        ).format(path, path.resolve().as_uri()),
        "Here is the record as it reads. You can create it again at any time, for example "
        "after finishing another lesson.",
    )


def created_pdf_message(path: Path) -> str:
    """Where the PDF is, with a link that saves it."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    link = Markup(
        "<a class='pwc-cpd-pdf-download' download='{name}' "
        "href='data:application/pdf;base64,{data}'>Save {name} to my computer</a>"
    ).format(name=path.name, data=data)
    return feedback.box(
        "summary",
        "Your CPD record is ready as a PDF.",
        Markup(
            "<strong>To keep or print it:</strong> {}. Your browser puts it in your Downloads "
            "folder. It is A4, ready to print or to send to your supervisor or professional "
            "body."
        ).format(link),
        Markup(
            "A copy is also saved on this computer, in the course's private folder, as "
            "<code class='pwc-cpd-path'>{}</code>."
        ).format(path),
    )


def preview(page: str) -> str:
    """The record itself, shown in a frame of its own (no scripts, its own styles)."""
    return str(
        Markup(
            "<iframe class='pwc-cpd-frame' title='Your CPD record' sandbox srcdoc='{}'></iframe>"
        ).format(page)
    )
