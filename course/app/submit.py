"""*Submit*: how an exercise is handed in, chosen by the ``POSTING_WITH_CARE_SUBMIT`` setting
(:mod:`course.app.settings`).

``download`` (the default, for a learner on their own computer): the app offers
*Download my answers*, the learner's own ``.ipynb``, to upload to a course page or send.

``exchange`` (a hosted course): the seam for nbgrader's exchange. :func:`exchange_submit` is
where the hub's submission goes; until it is wired up it says so plainly, and the download
stays available.
"""

from __future__ import annotations

import base64
from pathlib import Path

from markupsafe import Markup


class SubmitNotAvailable(RuntimeError):
    """This way of submitting is not set up on this server."""


def download_link(path: Path) -> str:
    """An ``a.pwc-download`` link that saves the learner's notebook under its own name."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return str(Markup(
        "<a class='pwc-download' download='{name}' "
        "href='data:application/x-ipynb+json;base64,{data}'>Download my answers ({name})</a>"
    ).format(name=path.name, data=data))


def exchange_submit(exercise_id: str, path: Path) -> str:
    """Hand ``path`` in through nbgrader's exchange; return a sentence for the learner."""
    raise SubmitNotAvailable(
        "Handing in through the course's exchange is not set up on this server yet. Please "
        "download your answers and send them to your trainer."
    )
