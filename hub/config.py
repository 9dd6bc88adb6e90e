"""JupyterHub's configuration for a room, from its ``state/room.json``.

``state/jupyterhub_config.py`` (written by ``python -m hub open``) is two lines that call
:func:`configure`. Everything the hub does is set here: the loopback-only internal ports, the
proxy, per-person passwords for the roster, local processes as each person's own Unix user, where
each person lands, the idle-culler and the vote service, and TLS when a certificate is given.
"""

from __future__ import annotations

import random
import socket
import sys
from pathlib import Path
from typing import Any

from hub.auth import RoomAuthenticator
from hub.room import VOTE_SERVICE, Room

LOOPBACK = "127.0.0.1"


SERVER_PORTS = range(20000, 30000)  # below Linux's ephemeral range, where kernels bind


def server_port() -> int:
    """A free port for a person's server, outside the range kernels and clients pick from."""
    for _ in range(200):
        port = random.choice(SERVER_PORTS)
        with socket.socket() as sock:
            try:
                sock.bind((LOOPBACK, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for a server in 20000-29999")


def configure(c: Any, settings_file: str | Path) -> Room:
    room = Room.load(settings_file)
    venv_bin = room.venv / "bin"

    c.JupyterHub.ip = room.ip
    c.JupyterHub.port = room.port
    c.JupyterHub.hub_ip = LOOPBACK
    c.JupyterHub.hub_port = room.hub_port
    c.JupyterHub.db_url = f"sqlite:///{room.state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(room.state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(room.state / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = True
    c.JupyterHub.cleanup_proxy = True
    if room.ssl_cert:
        c.JupyterHub.ssl_cert = room.ssl_cert
        c.JupyterHub.ssl_key = room.ssl_key

    c.ConfigurableHTTPProxy.command = [str(room.proxy_command)]
    c.ConfigurableHTTPProxy.api_url = f"http://{LOOPBACK}:{room.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(room.state / "proxy.pid")
    c.ConfigurableHTTPProxy.should_start = True

    c.JupyterHub.authenticator_class = RoomAuthenticator
    c.RoomAuthenticator.passwords_file = str(room.passwords_file)
    c.Authenticator.allowed_users = set(room.learners)
    c.Authenticator.admin_users = {room.trainer}
    c.FirstUseAuthenticator.dbm_path = str(room.state / "passwords.dbm")
    c.FirstUseAuthenticator.create_users = False
    c.FirstUseAuthenticator.min_password_length = 10

    c.JupyterHub.spawner_class = "localprocess"
    c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
    c.Spawner.notebook_dir = "~"
    c.Spawner.start_timeout = 180
    c.Spawner.http_timeout = 120
    c.Spawner.default_url = room.learner_url
    # a taken port must fail the start, not move the server where the hub cannot find it
    c.Spawner.args = ["--ServerApp.port_retries=0"]

    def pre_spawn_hook(spawner) -> None:
        name = spawner.user.name
        spawner.port = server_port()
        spawner.environment = room.environment(name)
        spawner.default_url = room.trainer_url if name == room.trainer else room.learner_url

    c.Spawner.pre_spawn_hook = pre_spawn_hook

    python = str(venv_bin / "python")
    c.JupyterHub.services = [
        {
            "name": "idle-culler",
            "command": [python, "-m", "jupyterhub_idle_culler",
                        f"--timeout={room.cull_timeout}"],
        },
        {
            "name": VOTE_SERVICE,
            "display": True,
            "url": f"http://{LOOPBACK}:{room.vote_port}",
            "command": [python, "-m", "hub.vote.service"],
            "environment": {"PWC_TRAINER": room.trainer, "LANG": "C.UTF-8"},
            "oauth_no_confirm": True,
            "user": "nobody",
            "cwd": "/",
        },
    ]
    c.JupyterHub.load_roles = [
        {
            "name": "user",
            "scopes": ["self", f"access:services!service={VOTE_SERVICE}"],
        },
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        },
    ]
    if str(room.root) not in sys.path:
        sys.path.append(str(room.root))
    return room
