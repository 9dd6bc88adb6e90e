"""Unix accounts for a room: one per learner and one for the trainer, each with a private home.

Only accounts this room made are ever changed or removed: the room keeps their names in
``state/accounts.json``, and a name that already exists on the machine but is not in that list is
refused (an existing person's account is never taken over).
"""

from __future__ import annotations

import json
import os
import pwd
import signal
import subprocess
import time
from pathlib import Path

from hub.room import Room


class AccountError(RuntimeError):
    """An account cannot be made or removed; the message says which and why."""


def _registry(room: Room) -> Path:
    return room.state / "accounts.json"


def made_by_room(room: Room) -> list[str]:
    path = _registry(room)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def _record(room: Room, names: list[str]) -> None:
    room.state.mkdir(mode=0o700, parents=True, exist_ok=True)
    _registry(room).write_text(json.dumps(sorted(set(names)), indent=1), encoding="utf-8")
    _registry(room).chmod(0o600)


def exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def check_free(room: Room, names: list[str]) -> None:
    ours = set(made_by_room(room))
    taken = [n for n in names if exists(n) and n not in ours]
    if taken:
        raise AccountError(
            "these names already have accounts on this machine that this room did not make: "
            f"{', '.join(taken)}. Use other ids in the roster (or --trainer), so nobody's "
            "existing account is taken over.")


def ensure(room: Room, name: str, *, shell: str) -> pwd.struct_passwd:
    """Make the account ``name`` (home 0700) unless this room already made it."""
    if not exists(name):
        home = room.home(name)
        home.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(home), "--shell", shell,
             "--user-group", "--comment", "Posting with Care", name],
            capture_output=True, text=True)
        if result.returncode != 0:
            raise AccountError(f"could not create the account {name!r}: "
                               f"{result.stderr.strip() or result.stdout.strip()}")
        _record(room, [*made_by_room(room), name])
    entry = pwd.getpwnam(name)
    os.chmod(entry.pw_dir, 0o700)
    return entry


def _stop_processes(name: str) -> None:
    uid = pwd.getpwnam(name).pw_uid
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit() and _owner(p) == uid]
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        time.sleep(1.0)


def _owner(pid: str) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


def remove_all(room: Room) -> list[str]:
    """Remove every account this room made (their processes, homes and groups)."""
    removed = []
    for name in made_by_room(room):
        if exists(name):
            _stop_processes(name)
            result = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
            if result.returncode not in (0, 12):  # 12: home could not be removed fully
                raise AccountError(f"could not remove the account {name!r}: "
                                   f"{result.stderr.strip()}")
        removed.append(name)
    _record(room, [])
    return removed
