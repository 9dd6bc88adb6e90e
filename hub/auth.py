"""Per-person passwords: FirstUseAuthenticator, with every room account's password set in advance.

``python -m hub open`` gives each person a password of their own (``state/passwords.csv``, root
only, for the trainer to hand out on slips). When the hub starts, every roster name that has no
password in FirstUseAuthenticator's store yet gets its own, stored only as a bcrypt hash, so
nobody can claim someone else's name by "using it first". ``create_users`` is off: only the
roster and the trainer can sign in. People change their password at
``/hub/auth/change-password``.

(NativeAuthenticator 1.3.0 fails on every login under JupyterHub 6.1: its login handler uses the
hub's removed ``statsd``.)
"""

from __future__ import annotations

import csv
import dbm
import os
from pathlib import Path

import bcrypt
from firstuseauthenticator import FirstUseAuthenticator
from traitlets import Unicode


def read_passwords(path: str | Path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["id"]: row["password"] for row in csv.DictReader(handle)}


class RoomAuthenticator(FirstUseAuthenticator):
    """FirstUseAuthenticator whose users are the room's roster and trainer, passwords preset."""

    passwords_file = Unicode(
        "", config=True,
        help="CSV (id,password) of the room's first passwords; readable by root only.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_passwords()

    def seed_passwords(self) -> None:
        if not self.passwords_file:
            return
        allowed = set(self.allowed_users) | set(self.admin_users)
        with dbm.open(self.dbm_path, "c", 0o600) as db:
            for name, password in read_passwords(self.passwords_file).items():
                if name in allowed and name.encode("utf-8") not in db:
                    db[name] = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt())
        for ext in ("", ".db", ".dir", ".pag", ".dat", ".bak"):
            if os.path.exists(self.dbm_path + ext):
                os.chmod(self.dbm_path + ext, 0o600)
