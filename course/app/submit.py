"""*Submit*: how an exercise is handed in, chosen by the ``POSTING_WITH_CARE_SUBMIT`` setting
(:mod:`course.app.settings`).

``download`` (the default, for a learner on their own computer): the app offers
*Download my answers*, the learner's own ``.ipynb``, to upload to a course page or send.

``exchange`` (a hosted course, the room on JupyterHub): :func:`exchange_submit` hands the
learner's copy in through nbgrader's exchange (:mod:`course.app.exchange`); if that fails it
says why plainly, and the download stays available.
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
    from course.app import exchange

    try:
        return exchange.submit(exercise_id, path)
    except exchange.ExchangeError as error:
        raise SubmitNotAvailable(str(error)) from None
