"""A real room for the tests: `python -m hub open` on loopback with throw-away Unix accounts.

Everything started here is stopped here: the hub (and with it the proxy, the services and every
server) is stopped with SIGTERM, then its whole process group; then `python -m hub close
--remove-accounts --remove-room` removes the accounts (homes included) and the room folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
RUNTIME = Path(os.environ.get("PWC_HUB_TEST_RUNTIME", "/opt/posting-with-care-test"))
COURSE_ID = "posting-with-care"
#: The test room's learners: the first FLOW_LEARNERS do the exercise flow, the rest only vote.
FLOW_LEARNERS = 3
VOTERS = 10


def why_not() -> str | None:
    """Why a real hub cannot run here (None when it can)."""
    if os.geteuid() != 0:
        return "the hub tests make Unix accounts, so they need root"
    for tool in ("useradd", "userdel", "runuser", "npm"):
        if shutil.which(tool) is None:
            return f"the hub tests need {tool} (scripts/system-deps.sh installs it)"
    if not Path("/usr/bin/python3").exists():
        return "the hub tests need Debian's /usr/bin/python3 (python3-venv)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Room:
    url: str
    trainer: str
    learners: list[str]
    passwords: dict[str, str]
    room_dir: Path
    process: subprocess.Popen
    log: Path
    extra: dict = field(default_factory=dict)

    def user(self, name: str) -> HubUser:
        return HubUser(self, name)

    def course_dir(self) -> Path:
        return Path("/home") / self.trainer / "posting-with-care"


def open_room(n_learners: int, *, tag: str | None = None) -> Room:
    tag = tag or secrets.token_hex(2)
    prefix = f"pwct{tag}"
    trainer = f"{prefix}-trainer"
    learners = [f"{prefix}-l{i:02d}" for i in range(1, n_learners + 1)]
    room_dir = Path(tempfile.mkdtemp(prefix="pwc-room-", dir="/tmp"))
    os.chmod(room_dir, 0o755)
    roster = room_dir.parent / f"{room_dir.name}-roster.csv"
    roster.write_text("id,first_name,last_name\n" + "".join(
        f"{name},Learner,{name[-3:].upper()}\n" for name in learners), encoding="utf-8")
    port = free_port()
    log = room_dir.parent / f"{room_dir.name}.log"
    command = [sys.executable, "-m", "hub", "open", str(roster), "--trainer", trainer,
               "--room-dir", str(room_dir), "--runtime-dir", str(RUNTIME),
               "--ip", "127.0.0.1", "--port", str(port), "--cull-after", "3600"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    room = Room(url, trainer, learners, {}, room_dir, process, log)
    try:
        _wait_ready(room, timeout=600)
        with open(room_dir / "state" / "passwords.csv", encoding="utf-8") as handle:
            next(handle)
            room.passwords = dict(line.strip().split(",", 1) for line in handle if line.strip())
    except BaseException:
        close_room(room)
        raise
    roster.unlink()
    return room


def _wait_ready(room: Room, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if room.process.poll() is not None:
            raise RuntimeError(f"the hub stopped (exit {room.process.returncode}):\n"
                               + room.log.read_text()[-4000:])
        try:
            if requests.get(f"{room.url}/hub/api/", timeout=2).status_code == 200:
                # the vote service registers with the proxy a moment after the hub
                if requests.get(f"{room.url}/services/vote/api/state", timeout=2,
                                allow_redirects=False).status_code in (302, 403):
                    return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError("the hub did not answer in time:\n" + room.log.read_text()[-4000:])


def close_room(room: Room) -> None:
    """Stop the hub and everything under it; remove the accounts and the room folder."""
    if room.process.poll() is None:
        room.process.send_signal(signal.SIGTERM)
        try:
            room.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(room.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    room.process.wait(timeout=30)
    subprocess.run([sys.executable, "-m", "hub", "close", "--room-dir", str(room.room_dir),
                    "--remove-accounts", "--remove-room"], cwd=REPO, check=False,
                   capture_output=True, timeout=300)
    shutil.rmtree(room.room_dir, ignore_errors=True)
    if os.environ.get("PWC_HUB_KEEP_LOG"):
        print(f"hub log kept: {room.log}")
    else:
        room.log.unlink(missing_ok=True)


def processes_of(names: list[str]) -> list[str]:
    import pwd

    uids = set()
    for name in names:
        try:
            uids.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            pass
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid in uids:
                found.append(pid)
        except OSError:
            pass
    return found


class HubUser:
    """One person using the hub the way a browser does: password login, then their token."""

    def __init__(self, room: Room, name: str) -> None:
        self.room, self.name = room, name
        self.session = requests.Session()
        self.token: str | None = None

    # ---- signing in ---------------------------------------------------------------------
    def login(self, password: str | None = None) -> bool:
        password = self.room.passwords[self.name] if password is None else password
        page = self.session.get(f"{self.room.url}/hub/login", timeout=30)
        xsrf = self.session.cookies.get("_xsrf", path="/hub/") or _hidden(page.text, "_xsrf")
        reply = self.session.post(
            f"{self.room.url}/hub/login", timeout=30, allow_redirects=False,
            data={"username": self.name, "password": password, "_xsrf": xsrf})
        return reply.status_code == 302 and any(
            c.name.startswith("jupyterhub-hub-login") for c in self.session.cookies)

    def make_token(self) -> str:
        xsrf = self.session.cookies.get("_xsrf", path="/hub/")
        reply = self.session.post(
            f"{self.room.url}/hub/api/users/{self.name}/tokens", timeout=30,
            headers={"X-XSRFToken": xsrf or ""}, json={"note": "test", "expires_in": 3600})
        reply.raise_for_status()
        self.token = reply.json()["token"]
        return self.token

    # ---- calls with the person's own token -----------------------------------------------
    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}", **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", 120)
        return requests.request(method, f"{self.room.url}{path}", headers=headers,
                                allow_redirects=False, **kwargs)

    def start_server(self) -> None:
        reply = self.call("POST", f"/hub/api/users/{self.name}/server")
        assert reply.status_code in (201, 202, 400), reply.text  # 400: already running

    def wait_server(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.call("GET", f"/hub/api/users/{self.name}").json()
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{self.name}'s server did not start")

    def server(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.call(method, f"/user/{self.name}/{path.lstrip('/')}", **kwargs)

    # ---- running code in the person's own kernel -------------------------------------------
    def run_in_kernel(self, code: str, timeout: float = 120) -> str:
        kernel = self.server("POST", "api/kernels", json={"name": "python3"})
        assert kernel.status_code == 201, kernel.text
        kernel_id = kernel.json()["id"]
        try:
            # In a thread of its own: pytest-playwright's sync API may already run an event
            # loop in this one (browser tests earlier in the same session).
            with ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(asyncio.run, self._execute(kernel_id, code, timeout)).result()
        finally:
            self.server("DELETE", f"api/kernels/{kernel_id}")

    async def _execute(self, kernel_id: str, code: str, timeout: float) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        ws_url = self.room.url.replace("http", "ws", 1)
        request = HTTPRequest(
            f"{ws_url}/user/{self.name}/api/kernels/{kernel_id}/channels",
            headers={"Authorization": f"token {self.token}"})
        connection = await websocket_connect(request)
        msg_id = uuid.uuid4().hex
        await connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": self.name, "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        out: list[str] = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                raw = await asyncio.wait_for(connection.read_message(), timeout)
                if raw is None:
                    break
                message = json.loads(raw)
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["header"]["msg_type"]
                if kind == "stream":
                    out.append(message["content"]["text"])
                elif kind == "error":
                    out.append("ERROR " + message["content"]["ename"] + ": "
                               + message["content"]["evalue"])
                elif kind == "status" and message["content"]["execution_state"] == "idle":
                    break
        finally:
            connection.close()
        return "".join(out)

    # ---- the vote service, through the hub's OAuth like a browser -------------------------
    def vote_page(self) -> requests.Response:
        return self.session.get(f"{self.room.url}/services/vote/", timeout=60)

    def vote_xsrf(self) -> str:
        page = self.vote_page()
        assert page.status_code == 200, page.text[:500]
        match = re.search(r'data-xsrf="([^"]+)"', page.text)
        assert match, page.text[:500]
        return match.group(1)

    def vote_api(self, method: str, action: str, xsrf: str, **kwargs) -> requests.Response:
        return self.session.request(
            method, f"{self.room.url}/services/vote/api/{action}", timeout=60,
            headers={"X-XSRFToken": xsrf}, allow_redirects=False, **kwargs)


def login_in_browser(page, room: Room, name: str, password: str | None = None) -> None:
    """Sign ``name`` in through the hub's own login form in a Playwright ``page``, as a
    person would; the page ends wherever the hub sends them (their landing page)."""
    page.goto(f"{room.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", room.passwords[name] if password is None else password)
    page.click("input[type=submit], button[type=submit]")


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html)
    return match.group(1) if match else ""
