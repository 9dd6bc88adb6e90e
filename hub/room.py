"""A room's settings and folders, in one place (written by ``python -m hub open``, read by the
hub's configuration).

Folders under the room folder (default ``/srv/posting-with-care``)::

    state/      root only (0700): hub database, cookie secret, config, passwords, accounts
    exchange/   nbgrader's exchange (1777, as nbgrader expects)
    etc/learner/  Jupyter and nbgrader settings every learner's server reads
    etc/trainer/  the trainer's (owned by the trainer, 0700)

The trainer's course folder is ``~TRAINER/posting-with-care`` (0700): keys, solutions, the
gradebook and cohort results live there and nowhere a learner can read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

COURSE_ID = "posting-with-care"
COURSE_FOLDER = "posting-with-care"   # inside the trainer's home
DEFAULT_ROOM_DIR = Path("/srv/posting-with-care")
DEFAULT_RUNTIME_DIR = Path("/opt/posting-with-care")
# Where people land (paths on their own server, i.e. after /user/NAME/).
APP_FOLDER = "course-app"   # the learner app's pages, in each learner's home
LEARNER_URL = f"/voila/render/{APP_FOLDER}/home.ipynb"
TRAINER_URL = "/lab/tree/posting-with-care/trainer-home.ipynb"
#: The room's live vote, a hub-managed service (hub/vote), at this path on the hub.
VOTE_SERVICE = "vote"
VOTE_PATH = f"/services/{VOTE_SERVICE}/"
#: The session builder (the trainer presents from it), on the trainer's server.
SESSION_BUILDER_URL = f"/voila/render/{APP_FOLDER}/session-builder.ipynb"


@dataclass
class Room:
    room_dir: str
    runtime_dir: str
    trainer: str
    learners: list[str]
    ip: str = ""
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    vote_port: int = 8002
    ssl_cert: str = ""
    ssl_key: str = ""
    learner_url: str = LEARNER_URL
    trainer_url: str = TRAINER_URL
    cull_timeout: int = 3600
    home_base: str = "/home"
    extra: dict = field(default_factory=dict)

    # ---- paths ------------------------------------------------------------------------
    @property
    def root(self) -> Path:
        return Path(self.room_dir)

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def learner_config(self) -> Path:
        return self.root / "etc" / "learner"

    @property
    def trainer_config(self) -> Path:
        return self.root / "etc" / "trainer"

    @property
    def venv(self) -> Path:
        return Path(self.runtime_dir) / "venv"

    @property
    def proxy_command(self) -> Path:
        return (Path(self.runtime_dir) / "proxy" / "node_modules" / ".bin"
                / "configurable-http-proxy")

    @property
    def app_share(self) -> Path:
        found = sorted(self.venv.glob("lib/python3*/site-packages/course/app/share"))
        return found[-1] if found else self.venv / "share"

    def home(self, user: str) -> Path:
        return Path(self.home_base) / user

    @property
    def course_dir(self) -> Path:
        return self.home(self.trainer) / COURSE_FOLDER

    @property
    def settings_file(self) -> Path:
        return self.state / "room.json"

    @property
    def passwords_file(self) -> Path:
        return self.state / "passwords.csv"

    @property
    def scheme(self) -> str:
        return "https" if self.ssl_cert else "http"

    def environment(self, user: str) -> dict[str, str]:
        """What a server (and anything run as that person) starts with."""
        role = "trainer" if user == self.trainer else "learner"
        config = self.trainer_config if role == "trainer" else self.learner_config
        environment = {
            "PATH": f"{self.venv / 'bin'}:/usr/bin:/bin",
            "JUPYTER_CONFIG_PATH": str(config),
            "POSTING_WITH_CARE_ROLE": role,
            # the app's pages (course.app.settings): learners see the room's vote while one is
            # open; the trainer's presentation opens votes
            "POSTING_WITH_CARE_VOTE": VOTE_PATH,
            # where Voilà finds the app's page template
            "JUPYTER_PATH": str(self.app_share),
            "LANG": "C.UTF-8",
        }
        if role == "learner":
            environment.update({
                # the learner app (course.app.settings): an assessed cohort, so no self-marking
                # (the keys are not on the learner's server anyway), and Submit via the exchange
                "POSTING_WITH_CARE_ASSESSED": "1",
                "POSTING_WITH_CARE_SUBMIT": "exchange",
            })
        return environment

    # ---- file -------------------------------------------------------------------------
    def save(self) -> Path:
        self.state.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.settings_file.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        self.settings_file.chmod(0o600)
        return self.settings_file

    @classmethod
    def load(cls, path: str | Path) -> Room:
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))
