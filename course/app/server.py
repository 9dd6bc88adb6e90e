"""Voilà, as the learner app needs it: the folder of pages and nothing else.

Compared with plain ``voila FOLDER``: ``/`` and ``/voila/tree…`` lead to the home page instead
of a file list, the contents API (which lists files) is not offered, and the browser opens
on the home page (with the token). The folder itself is written by :mod:`course.app.site`.

Kernels: Voilà's page script asks the server to shut a page's kernel down when the page is
left (a ``POST /voila/api/shutdown/<kernel>`` beacon carrying the ``_xsrf`` cookie's value as
its ``_xsrf`` field). Plain Voilà 0.5 never sets that cookie, so the request was refused (403)
and every page view left a kernel running: here each page sets it (:class:`CoursePageHandler`),
and XSRF protection stays on. What kernels print goes to a log file, not the terminal
(:class:`CourseKernelManager`); the terminal is for the course's own few lines.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import webbrowser
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop
from tornado.web import RedirectHandler, authenticated
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

HOME_PAGE = "voila/render/home.ipynb"
LEFT_OUT = (TornadoVoilaTreeHandler, VoilaContentsHandler)
NOT_ON_PAGES = ("@jupyter/nbgrader", "@jupyter-notebook/lab-extension")
#: Log lines that say nothing to a learner (trust is for JupyterLab; these are our own pages).
UNSAID = ("is not trusted",)


class CoursePageHandler(TornadoVoilaHandler):
    """A page, with the ``_xsrf`` cookie set (tornado sets it when the token is first read):
    Voilà's page script sends the cookie's value back when it asks to shut the page's kernel
    down, which is the only way that request passes the server's XSRF check."""

    async def get(self, path: str | None = None) -> None:
        self.xsrf_token  # noqa: B018 - reading it sets the cookie
        await super().get(path)


#: Seconds a left page's kernel is given to handle what the page sent just before it closed.
SHUTDOWN_GRACE = 3.0


class CourseShutdownHandler(VoilaShutdownKernelHandler):
    """A left page's kernel is shut down once it has handled everything the page sent: the
    learner's last click (a choice saved into their exercise copy, say) may still be on its
    way when the page's "shut me down" beacon arrives."""

    @authenticated
    async def post(self, kernel_id: str) -> None:
        self.set_status(204)
        self.finish()
        IOLoop.current().spawn_callback(shut_down_when_settled, self.kernel_manager, kernel_id)


async def shut_down_when_settled(manager: Any, kernel_id: str) -> None:
    await asyncio.sleep(SHUTDOWN_GRACE)
    if kernel_id not in manager:
        return
    client = manager.get_kernel(kernel_id).client()
    try:
        client.start_channels()
        # the kernel answers in order: its reply comes after every message sent before it
        await client.wait_for_ready(timeout=30)
    except Exception:  # noqa: BLE001 - a kernel that cannot answer is shut down all the same
        pass
    finally:
        client.stop_channels()
    if kernel_id in manager:
        await manager.shutdown_kernel(kernel_id)


class CourseKernelManager(ServerKernelManager):
    """Kernels whose output (start-up warnings, errors while the server stops them) goes to
    :attr:`output` instead of the learner's terminal; without one, they print as usual."""

    output: Path | None = None

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if CourseKernelManager.output is not None:
            with CourseKernelManager.output.open("ab") as log:
                kw.setdefault("stdout", log)
                kw.setdefault("stderr", log)
                return await super()._async_launch_kernel(kernel_cmd, **kw)
        return await super()._async_launch_kernel(kernel_cmd, **kw)


class _Unsaid(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not any(words in record.getMessage() for words in UNSAID)


class CourseVoila(Voila):
    """Voilà serving the course's pages."""

    name = "posting-with-care"
    open_on_start: str | None = None

    def init_handlers(self) -> list:
        home = url_path_join(self.server_url, HOME_PAGE)
        ours = {TornadoVoilaHandler: CoursePageHandler,
                VoilaShutdownKernelHandler: CourseShutdownHandler}
        kept = [(handler[0], ours.get(handler[1], handler[1]), *handler[2:])
                for handler in super().init_handlers() if handler[1] not in LEFT_OUT]
        return [
            (self.server_url, RedirectHandler, {"url": home}),
            (url_path_join(self.server_url, r"/voila/tree(/.*)?"), RedirectHandler,
             {"url": home}),
            *kept,
        ]

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        self.log.addFilter(_Unsaid())
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
