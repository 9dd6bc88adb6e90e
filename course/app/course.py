"""`make course`: the learner app. Serves the course's pages with Voilà and opens the home page.

Options come through ``COURSE_ARGS``, spelled as JupyterLab's: ``--no-browser``, ``--port N``
(or ``--port=N``), ``--ip ADDRESS``; anything else starting with ``--`` goes to Voilà as it is
(for example ``--VoilaConfiguration.default_pool_size=2``). Stop it with Ctrl-C.

What it does:

1. writes the app's pages (:mod:`course.app.site`) into a fresh temporary folder, which is
   all the server can hand out: the project folder, with its answer keys and ``solutions/``,
   is not served, and the learner's records stay in their private folder
   (:mod:`course.runtime.private`);
2. starts Voilà on that folder, with a token, kernels kept ready (``preheat_kernel``), no
   file downloads, no file list: ``/`` and ``/voila/tree`` lead to the home page;
3. prints the home page's address (with the token) and opens it in the browser.

The terminal shows the course's own few lines (the address, how to stop, that it stopped) and
Voilà's warnings and errors; Voilà's routine messages are not shown (``--Voila.log_level=INFO``
shows them again) and what the pages' kernels print goes to ``logs/pages.log`` in the
learner's private folder. Kernels talk to the server over local sockets in the server's own
folder (``--KernelManager.transport=ipc``), not TCP ports: no port for anyone else on the
computer to reach, and none to clash when the pages' kernels start together. A kernel left
idle with no page connected for :data:`IDLE_KERNEL_MINUTES` minutes is shut down (a backstop:
a page's kernel normally stops when its page is left).
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import socket
import sys
import tempfile
from pathlib import Path

DEFAULT_PORT = 8866
IDLE_KERNEL_MINUTES = 30
HOME_PATH = "voila/render/home.ipynb"
TEMPLATES_HOME = Path(__file__).resolve().parent / "share"  # voila/templates/posting-with-care


class UsageError(ValueError):
    pass


def parse(argv: list[str]) -> tuple[dict[str, object], list[str]]:
    """Read the JupyterLab-style options; return them and the arguments passed to Voilà."""
    options: dict[str, object] = {"browser": True, "port": None, "ip": "127.0.0.1"}
    rest: list[str] = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, has_value, value = arg.partition("=")
        if name == "--no-browser" or (
            name == "--ServerApp.open_browser" and value.casefold() == "false"
        ):
            options["browser"] = False
        elif name in ("--port", "--ServerApp.port"):
            if not has_value:
                if not args:
                    raise UsageError("--port needs a number, for example --port 8866")
                value = args.pop(0)
            if not value.isdigit() or not 0 < int(value) < 65536:
                raise UsageError(f"--port {value}: use a number from 1 to 65535")
            options["port"] = int(value)
        elif name in ("--ip", "--ServerApp.ip"):
            if not has_value:
                if not args:
                    raise UsageError("--ip needs an address, for example --ip 127.0.0.1")
                value = args.pop(0)
            options["ip"] = value
        elif arg.startswith("--"):
            rest.append(arg)
        else:
            raise UsageError(f"{arg!r}: options start with --, for example --no-browser")
    return options, rest


def port_is_free(ip: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            sock.bind((ip, port))
        except OSError:
            return False
    return True


def choose_port(ip: str) -> int:
    for port in range(DEFAULT_PORT, DEFAULT_PORT + 10):
        if port_is_free(ip, port):
            return port
    with socket.socket() as sock:
        sock.bind((ip, 0))
        return int(sock.getsockname()[1])


def voila_args(pages: Path, ip: str, port: int, token: str, extra: list[str]) -> list[str]:
    """Voilà's command line; an option in ``extra`` replaces the app's default for it."""
    defaults = [
        f"--Voila.ip={ip}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.root_dir={pages}",
        f"--Voila.token={token}",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=1",
        "--VoilaConfiguration.template=posting-with-care",
        "--Voila.log_level=WARN",
        "--KernelManager.transport=ipc",
        "--MappingKernelManager.kernel_manager_class=course.app.server.CourseKernelManager",
        f"--MappingKernelManager.cull_idle_timeout={IDLE_KERNEL_MINUTES * 60}",
        "--MappingKernelManager.cull_interval=60",
    ]
    given = {arg.partition("=")[0] for arg in extra}
    kept = [arg for arg in defaults if arg.partition("=")[0] not in given]
    return [str(pages), "--no-browser", *kept, *extra]


def home_url(ip: str, port: int, token: str) -> str:
    host = "127.0.0.1" if ip in ("", "0.0.0.0") else ip
    return f"http://{host}:{port}/{HOME_PATH}?token={token}"


def main(argv: list[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    if len(raw) == 1 and " " in raw[0]:
        raw = shlex.split(raw[0])
    try:
        options, extra = parse(raw)
        from course.app import settings

        settings.current()  # a bad setting stops here, with its name, not inside a page
    except (UsageError, ValueError) as error:
        print(f"make course: {error}", file=sys.stderr)
        return 2
    from course.app import server, site

    ip = str(options["ip"])
    port = options["port"] if options["port"] is not None else choose_port(ip)
    assert isinstance(port, int)
    if not port_is_free(ip, port):
        print(f"make course: port {port} is in use; choose another with --port N",
              file=sys.stderr)
        return 1
    token = os.environ.get("POSTING_WITH_CARE_TOKEN") or secrets.token_hex(24)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATES_HOME), os.environ.get("JUPYTER_PATH", "")) if p
    )
    pages = Path(tempfile.mkdtemp(prefix="posting-with-care-pages-"))
    try:
        site.build(pages)
        url = home_url(ip, port, token)
        print("Posting with Care is starting. Open this address in your browser:", flush=True)
        print(f"    {url}", flush=True)
        print("Press Ctrl-C here to stop the course (your progress is kept).", flush=True)
        if options["browser"]:
            server.CourseVoila.open_on_start = url
        server.CourseKernelManager.output = pages_log()
        server.CourseVoila.launch_instance(voila_args(pages, ip, port, token, extra))
    finally:
        shutil.rmtree(pages, ignore_errors=True)
    print("The course has stopped. Your progress is kept for next time.", flush=True)
    return 0


def pages_log() -> Path | None:
    """A fresh ``logs/pages.log`` in the private folder, for what the kernels print; None
    (they print to the terminal) when it cannot be written."""
    from course.runtime import private

    path = private.home() / "logs" / "pages.log"
    try:
        private.private_dir(path.parent)
        private.write_private(path, "")
    except OSError:
        return None
    return path


if __name__ == "__main__":
    sys.exit(main())
