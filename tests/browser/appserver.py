"""Start and stop the learner app (`python -m course.app.course`, what `make course` runs) for
the browser tests: a free port, a known token, the learner's folder in a temporary place.
"""

from __future__ import annotations

import http.client
import os
import signal
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


# --- the app's kernels, seen from outside (each is a child process of the server) ------------
def kernel_pids(server: AppServer) -> set[int]:
    """The server's running kernels (children of its process running ipykernel)."""
    found = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command_line = (proc / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == server.process.pid and b"ipykernel" in command_line:
            found.add(int(proc.name))
    return found


def _cpu_ticks(pids: set[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def wait_until_settled(server: AppServer, kernels: int, timeout: float = 240) -> set[int]:
    """Wait until `kernels` kernels run and none of them has used the CPU for 3 s (the pages
    kept ready have run as far as they go before a request); their pids."""
    deadline = time.monotonic() + timeout
    quiet_since, last = None, None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the app exited:\n{server.log_tail()}")
        pids = kernel_pids(server)
        ticks = (len(pids), _cpu_ticks(pids))
        if len(pids) >= kernels and ticks == last:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 3:
                return pids
        else:
            quiet_since = None
        last = ticks
        time.sleep(0.5)
    raise RuntimeError(f"{len(kernel_pids(server))} kernels, not {kernels} settled, within "
                       f"{timeout:.0f} s:\n{server.log_tail()}")


def signal_stop(server: AppServer, signum: int, timeout: float = 60) -> int:
    """Stop the app as a terminal (SIGINT, Ctrl-C: the foreground process group) or a system
    shutdown (SIGTERM) does; its exit code. SIGKILL (and a failure) if it does not stop."""
    os.killpg(os.getpgid(server.process.pid), signum)
    try:
        return server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(os.getpgid(server.process.pid), signal.SIGKILL)
        server.process.wait(timeout=10)
        raise AssertionError(f"the app did not stop within {timeout:.0f} s of signal "
                             f"{signum}:\n{server.log_tail()}") from None


def wait_until(condition, *, timeout: float, what: str, server: AppServer) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"waited {timeout:.0f} s for {what}:\n{server.log_tail()}")
