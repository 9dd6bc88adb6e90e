"""``python -m hub open ROSTER`` opens a room; ``python -m hub close`` removes what it made.

``make hub ROSTER=roster.csv`` runs ``open`` (as root: it makes Unix accounts). It prints the
address and where the passwords are, then runs JupyterHub in the foreground (Ctrl-C stops the
hub and every server in it). Re-opening keeps accounts, passwords and everyone's work.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
from pathlib import Path

from course.app import site
from hub import accounts, homes, passwords, runtime
from hub.room import DEFAULT_ROOM_DIR, DEFAULT_RUNTIME_DIR, LEARNER_URL, TRAINER_URL, Room
from hub.roster import RosterError, read_roster, validate_trainer

REPO = Path(__file__).resolve().parents[1]
HUB_CONFIG = '''\
# Written by `python -m hub open`; the settings are in room.json beside this file.
from hub.config import configure

configure(c, {settings!r})  # noqa: F821
'''


def free_port(ip: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((ip, 0))
        return sock.getsockname()[1]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hub",
                                     description="A Posting with Care room on JupyterHub.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    opening = commands.add_parser("open", help="make the accounts and start the hub")
    opening.add_argument("roster", type=Path,
                         help="CSV with columns id[,first_name,last_name,email]")
    opening.add_argument("--trainer", default="trainer", help="the trainer's account (admin)")
    opening.add_argument("--room-dir", type=Path, default=DEFAULT_ROOM_DIR)
    opening.add_argument("--runtime-dir", type=Path, default=DEFAULT_RUNTIME_DIR)
    opening.add_argument("--home-base", default="/home", help="where the accounts' homes go")
    opening.add_argument("--ip", default="", help="address to listen on (default: all)")
    opening.add_argument("--port", type=int, default=8000)
    opening.add_argument("--ssl-cert", type=Path, help="TLS certificate (PEM) for https")
    opening.add_argument("--ssl-key", type=Path, help="TLS private key (PEM)")
    opening.add_argument("--learner-url", default=LEARNER_URL,
                         help=f"where learners land on their server (default {LEARNER_URL})")
    opening.add_argument("--trainer-url", default=TRAINER_URL,
                         help=f"where the trainer lands (default {TRAINER_URL})")
    opening.add_argument("--cull-after", type=int, default=3600, metavar="SECONDS",
                         help="stop a server idle this long (default 3600)")
    opening.add_argument("--python", default=runtime.DEFAULT_PYTHON,

                         help="Python for the shared runtime (every account must run it)")
    opening.add_argument("--no-start", action="store_true", help="prepare everything, don't start")
    closing = commands.add_parser("close", help="remove the room's accounts (and folder)")
    closing.add_argument("--room-dir", type=Path, default=DEFAULT_ROOM_DIR)
    closing.add_argument("--remove-accounts", action="store_true",
                         help="delete every account the room made, with its home and work")
    closing.add_argument("--remove-room", action="store_true",
                         help="also delete the room folder (hub database, exchange)")
    return parser


def open_room(args: argparse.Namespace) -> Room:
    trainer = validate_trainer(args.trainer)
    learners = read_roster(args.roster, trainer=trainer)
    if bool(args.ssl_cert) != bool(args.ssl_key):
        raise RosterError("give both --ssl-cert and --ssl-key, or neither")
    room = Room(
        room_dir=str(args.room_dir.resolve()), runtime_dir=str(args.runtime_dir.resolve()),
        trainer=trainer, learners=[p.id for p in learners], ip=args.ip, port=args.port,
        hub_port=free_port(), proxy_api_port=free_port(), vote_port=free_port(),
        ssl_cert=str(args.ssl_cert.resolve()) if args.ssl_cert else "",
        ssl_key=str(args.ssl_key.resolve()) if args.ssl_key else "",
        learner_url=args.learner_url, trainer_url=args.trainer_url,
        cull_timeout=args.cull_after, home_base=args.home_base)
    room.root.mkdir(parents=True, exist_ok=True)
    os.chmod(room.root, 0o755)
    room.state.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(room.state, 0o700)
    accounts.check_free(room, [trainer, *room.learners])
    runtime.build(Path(room.runtime_dir), REPO, python=args.python)
    accounts.ensure(room, trainer, shell="/bin/bash")
    for name in room.learners:
        accounts.ensure(room, name, shell="/usr/sbin/nologin")
    passwords.ensure(room.passwords_file, [trainer, *room.learners])
    room.save()
    homes.write_settings(room)
    with tempfile.TemporaryDirectory() as scratch:
        pages = Path(scratch) / "pages"
        site.build(pages)
        homes.trainer_home(room, REPO, args.roster.resolve(), pages)
        for name in room.learners:
            homes.learner_home(room, name, REPO, pages)
    homes.import_roster(room, args.roster)
    config = room.state / "jupyterhub_config.py"
    config.write_text(HUB_CONFIG.format(settings=str(room.settings_file)), encoding="utf-8")
    config.chmod(0o600)
    return room


def address(room: Room) -> str:
    host = room.ip or socket.getfqdn()
    return f"{room.scheme}://{host}:{room.port}/"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if os.geteuid() != 0:
        print("hub: run this as root (it makes and removes Unix accounts).", file=sys.stderr)
        return 1
    if args.command == "close":
        room = Room.load(args.room_dir / "state" / "room.json")
        if args.remove_accounts:
            removed = accounts.remove_all(room)
            print(f"hub: removed {len(removed)} account(s): {', '.join(removed) or 'none'}")
        if args.remove_room:
            import shutil
            shutil.rmtree(room.root)
            print(f"hub: removed {room.root}")
        return 0
    try:
        room = open_room(args)
    except (RosterError, accounts.AccountError, runtime.RuntimeErrorMessage) as error:
        print(f"hub: {error}", file=sys.stderr)
        return 1
    print(f"hub: {len(room.learners)} learner(s) and the trainer {room.trainer!r} are ready.")
    print(f"hub: passwords (one each; hand them out privately): {room.passwords_file}")
    if not room.ssl_cert and room.ip not in ("127.0.0.1", "localhost"):
        print("hub: WARNING no TLS: passwords cross the network unencrypted. "
              "Give --ssl-cert and --ssl-key (see docs/hub.md).", file=sys.stderr)
    if args.no_start:
        return 0
    print(f"hub: the room's address: {address(room)}", flush=True)
    jupyterhub = room.venv / "bin" / "jupyterhub"
    os.chdir(room.state)
    env = {"PATH": f"{room.venv / 'bin'}:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
           "HOME": "/root"}
    os.execve(jupyterhub, [str(jupyterhub), "-f", str(room.state / "jupyterhub_config.py")], env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
