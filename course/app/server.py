"""Voilà, as the learner app needs it: the folder of pages and nothing else.

Compared with plain ``voila FOLDER``: ``/`` and ``/voila/tree…`` lead to the home page instead
of a file list, the contents API (which lists files) is not offered, and the browser opens
on the home page (with the token). The folder itself is written by :mod:`course.app.site`.
"""

from __future__ import annotations

import threading
import webbrowser

from jupyter_server.utils import url_path_join
from tornado.web import RedirectHandler
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

HOME_PAGE = "voila/render/home.ipynb"
LEFT_OUT = (TornadoVoilaTreeHandler, VoilaContentsHandler)
NOT_ON_PAGES = ("@jupyter/nbgrader", "@jupyter-notebook/lab-extension")


class CourseVoila(Voila):
    """Voilà serving the course's pages."""

    name = "posting-with-care"
    open_on_start: str | None = None

    def init_handlers(self) -> list:
        home = url_path_join(self.server_url, HOME_PAGE)
        kept = [handler for handler in super().init_handlers() if handler[1] not in LEFT_OUT]
        return [
            (self.server_url, RedirectHandler, {"url": home}),
            (url_path_join(self.server_url, r"/voila/tree(/.*)?"), RedirectHandler,
             {"url": home}),
            *kept,
        ]

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        # No file is handed out as a file: pages are rendered, everything else is refused.
        self.voila_configuration.file_allowlist = []
        self.voila_configuration.file_denylist = [r".*"]
        # JupyterLab extensions that have no place on a page (and fail there) are not loaded.
        if not self.voila_configuration.extension_denylist:
            self.voila_configuration.extension_denylist = list(NOT_ON_PAGES)

    def start(self) -> None:
        if self.open_on_start:
            url = self.open_on_start
            threading.Timer(1.0, lambda: webbrowser.open(url, new=2)).start()
        super().start()
