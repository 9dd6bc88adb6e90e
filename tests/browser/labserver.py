"""Start and stop a private JupyterLab server for the browser tests and the `make lab` smoke test.

Each server gets its own Jupyter config, data, runtime and IPython folders, so no layout,
setting, workspace or notebook-trust record leaks in from the machine or out into it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

# JupyterLab's news and update toasts cover the notebook; turn them off for the tests.
NOTIFICATION_SETTINGS = {"fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True}
NOTIFICATION_FILE = Path(
    "lab/user-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
)


@dataclass(frozen=True)
class LabServer:
    """A running Jupyter server: where it listens, its token, and the folder it serves."""

    port: int
    token: str
    root: Path
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The full URL of `path` on this server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        """GET `path`; return the status code and the body as text."""
        try:
            with urllib.request.urlopen(self.url(path), timeout=timeout) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def shut_down_kernels(self) -> None:
        """Shut down every kernel session, as a learner closing their notebooks would."""
        for session in json.loads(self.get("api/sessions")[1]):
            request = urllib.request.Request(
                self.url(f"api/sessions/{session['id']}"), method="DELETE"
            )
            with urllib.request.urlopen(request, timeout=15):
                pass

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def free_port() -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isolated_env(home: Path) -> dict[str, str]:
    """Environment for a server whose Jupyter state lives under `home` (created here):
    `config/`, `data/`, `runtime/` (where the server writes its open-in-browser page) and
    `ipython/`."""
    env = dict(os.environ)
    for name in ("JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "JUPYTER_PATH"):
        env.pop(name, None)
    dirs = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "IPYTHONDIR": home / "ipython",
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    settings = dirs["JUPYTER_CONFIG_DIR"] / NOTIFICATION_FILE
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps(NOTIFICATION_SETTINGS), encoding="utf-8")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start(
    command: list[str],
    *,
    port: int,
    token: str,
    root: Path,
    env: dict[str, str],
    log: Path,
    cwd: Path | None = None,
    timeout: float = 90,
) -> LabServer:
    """Run `command` in its own process group and wait until /api/status answers."""
    log_file = log.open("wb")
    process = subprocess.Popen(
        command,
        cwd=cwd or root,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log_file.close()
    server = LabServer(port=port, token=token, root=root, process=process, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {process.returncode}:\n{server.log_tail()}"
            )
        try:
            if server.get("api/status", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.25)
    stop(server)
    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def stop(server: LabServer, grace: float = 15) -> None:
    """SIGTERM the server's process group, then SIGKILL it if it lingers."""
    process = server.process
    if process.poll() is not None:
        return
    pgid = os.getpgid(process.pid)
    os.killpg(pgid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        process.wait(timeout=5)


def jupyterlab_command(python: str, root: Path, port: int, token: str) -> list[str]:
    """The plain JupyterLab command line the browser suite serves its copy of the course with."""
    return [
        python,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.allow_root=True",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
