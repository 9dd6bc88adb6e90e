"""``python -m hub.vote.service``: the room's vote, run by JupyterHub as a managed service.

Every route needs a signed-in hub user (the hub's OAuth, :class:`HubOAuthenticated`); there is
no route for anyone else. The trainer (``PWC_TRAINER``) opens a vote on a post, sees how many
have voted, closes and reveals; everyone else sees the post with its choices and votes. JSON
API (same rules): ``GET bridge`` (a blank page that only carries this person's XSRF token, for
the app's pages and the trainer's presentation, see :data:`BRIDGE`), ``GET api/state``,
``GET api/posts`` (trainer), ``POST api/vote`` ``{"choice"}``, ``POST api/open``
``{"post"}``, ``POST api/close``, ``POST api/reveal``, ``POST api/end`` (trainer).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import ioloop, web

from course.catalogue import bank
from hub.vote.ballot import Ballot, VoteError

TEMPLATES = Path(__file__).parent / "templates"
TRAINER_ENV = "PWC_TRAINER"


class _Base(HubOAuthenticated, web.RequestHandler):
    @property
    def ballot(self) -> Ballot:
        return self.settings["ballot"]

    @property
    def name(self) -> str:
        return self.current_user["name"]

    @property
    def is_trainer(self) -> bool:
        return self.name == self.settings["trainer"]

    def body(self) -> dict:
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise web.HTTPError(400, "The request was not JSON.") from None
        if not isinstance(data, dict):
            raise web.HTTPError(400, "The request was not a JSON object.")
        return data

    def reply(self, status: int = 200, **extra) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({**self.ballot.view(self.name, trainer=self.is_trainer), **extra}))

    def write_error(self, status_code: int, **kwargs) -> None:
        message = self._reason
        error = kwargs.get("exc_info", (None, None))[1]
        if isinstance(error, web.HTTPError) and error.log_message:
            message = error.log_message
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": message}))

    def trainer_only(self) -> None:
        if not self.is_trainer:
            raise web.HTTPError(403, "Only the trainer can do this.")


class PageHandler(_Base):
    @web.authenticated
    def get(self) -> None:
        page = "trainer.html" if self.is_trainer else "learner.html"
        html = (TEMPLATES / page).read_text(encoding="utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy",
                        "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                        "script-src 'self' 'unsafe-inline'; frame-ancestors 'self'")
        self.finish(html.replace("{{xsrf}}", self.xsrf_token.decode("ascii"))
                    .replace("{{base}}", self.settings["base"]))


#: The bridge: loaded as a navigation (in a hidden frame of the learner's app page or of the
#: trainer's presentation, both on this hub's origin), it goes through the hub's OAuth like any
#: page and hands the page that holds it the XSRF token its ``fetch`` calls must send.
BRIDGE = ('<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
          '<title>Room vote</title></head><body data-xsrf="{xsrf}"></body></html>')


class BridgeHandler(_Base):
    @web.authenticated
    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'")
        self.finish(BRIDGE.format(xsrf=self.xsrf_token.decode("ascii")))


class StateHandler(_Base):
    @web.authenticated
    def get(self) -> None:
        self.reply()


class PostsHandler(_Base):
    @web.authenticated
    def get(self) -> None:
        self.trainer_only()
        posts = [{"id": p.id, "lesson": p.lesson, "text": p.text}
                 for p in bank.posts().values()]
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"posts": posts}))


class ActionHandler(_Base):
    @web.authenticated
    def post(self, action: str) -> None:
        try:
            if action == "vote":
                if self.is_trainer:
                    raise VoteError("The trainer runs the vote and does not vote.")
                self.ballot.cast(self.name, str(self.body().get("choice", "")))
            else:
                self.trainer_only()
                if action == "open":
                    self.ballot.open(str(self.body().get("post", "")))
                elif action == "close":
                    self.ballot.close()
                elif action == "reveal":
                    self.ballot.reveal()
                elif action == "end":
                    self.ballot.end()
                else:
                    raise web.HTTPError(404)
        except VoteError as error:
            self.reply(409, error=str(error))
            return
        self.reply()


def make_app() -> web.Application:
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/vote/")
    trainer = os.environ.get(TRAINER_ENV, "")
    if not trainer:
        raise SystemExit(f"vote service: {TRAINER_ENV} is not set (the trainer's hub name)")
    return web.Application(
        [
            (prefix, PageHandler),
            (url_path_join(prefix, "bridge"), BridgeHandler),
            (url_path_join(prefix, "api/state"), StateHandler),
            (url_path_join(prefix, "api/posts"), PostsHandler),
            (url_path_join(prefix, r"api/(vote|open|close|reveal|end)"), ActionHandler),
            (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        ],
        cookie_secret=secrets.token_bytes(32),
        ballot=Ballot(),
        trainer=trainer,
        base=prefix,
        xsrf_cookies=False,  # HubOAuth applies the hub's own XSRF check to cookie requests
    )


def main() -> None:
    # No names in the log: the hub's OAuth logs each sign-in by name at INFO, so log warnings only.
    logging.basicConfig(level=logging.WARNING)
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    if url.port is None:
        raise SystemExit("vote service: JUPYTERHUB_SERVICE_URL has no port")
    app = make_app()
    app.listen(url.port, url.hostname)
    loop = ioloop.IOLoop.current()
    signal.signal(signal.SIGTERM, lambda *_: loop.add_callback_from_signal(loop.stop))
    loop.start()


if __name__ == "__main__":
    main()
