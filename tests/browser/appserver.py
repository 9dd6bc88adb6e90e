"""Start and stop the learner app (`python -m course.app.course`, what `make course` runs) for
the browser tests: a free port, a known token, the learner's folder in a temporary place.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import labserver
from artifacts import REPO

HOME_PAGE = "voila/render/home.ipynb"


@dataclass(frozen=True)
class AppServer:
    port: int
    token: str
    learner_home: Path
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page_url(self, name: str) -> str:
        return f"{self.base_url}/voila/render/{name}.ipynb?token={self.token}"

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]

    def get(self, path: str, token: bool = True) -> tuple[int, bytes, dict[str, str]]:
        """GET `path` (no redirects followed); status, body and headers."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        if token:
            path += ("&" if "?" in path else "?") + f"token={self.token}"
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        connection.close()
        return response.status, body, headers

    @property
    def labserver(self) -> labserver.LabServer:
        return labserver.LabServer(port=self.port, token=self.token, root=REPO,
                                   process=self.process, log=self.log)


def command(port: int, extra: list[str] | None = None) -> list[str]:
    return [sys.executable, "-m", "course.app.course", "--no-browser", "--port", str(port),
            *(extra or [])]


def start(home: Path, learner_home: Path, *, token: str | None,
          env_extra: dict[str, str] | None = None, timeout: float = 120,
          cmd: list[str] | None = None, port: int | None = None) -> AppServer:
    """Run the app (or `cmd`, e.g. `make course`) and wait until it answers."""
    port = port or labserver.free_port()
    env = labserver.isolated_env(home)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["POSTING_WITH_CARE_HOME"] = str(learner_home)
    env.pop("POSTING_WITH_CARE_TOKEN", None)
    if token is not None:
        env["POSTING_WITH_CARE_TOKEN"] = token
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    env.update(env_extra or {})
    log = home / f"app-{port}.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(cmd or command(port), cwd=REPO, env=env, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = AppServer(port, token or "", learner_home, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with code {process.returncode}:\n"
                               f"{server.log_tail()}")
        try:
            if server.get("/", token=False)[0] in (301, 302):
                return server
        except OSError:
            pass
        time.sleep(0.25)
    stop(server)
    raise RuntimeError(f"the app did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def stop(server: AppServer) -> None:
    labserver.stop(server.labserver)
