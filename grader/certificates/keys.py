"""The provider's Ed25519 key pair: make it, keep the private half safe, load either half.

The private key is a PEM file readable by its owner only (mode 0600), never written inside a
git work tree (such as the course's folder) or a learner's private folder, and refused when
others can read it. The public key is a short PEM file, safe to publish.
"""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from course.runtime import private

COURSE_ROOT = Path(__file__).resolve().parents[2]


class KeyProblem(ValueError):
    """A key that cannot be made, read or used; the message says why in plain words."""


def _unsafe_place(folder: Path) -> str | None:
    """Why a private key must not be written in ``folder``, or None."""
    folder = folder.resolve()
    for parent in (folder, *folder.parents):
        if (parent / ".git").exists():
            return (f"{folder} is inside a git repository ({parent}), and a private key must "
                    "never be committed")
    learner = private.home().resolve()
    if folder == learner or folder.is_relative_to(learner):
        return f"{folder} is a learner's private folder"
    return None


def generate(private_path: Path, public_path: Path) -> None:
    """Make a new key pair; refuses to overwrite either file or to write in an unsafe place."""
    for path in (private_path, public_path):
        if path.exists():
            raise KeyProblem(f"{path} already exists: keep the key you have, or choose another "
                            "file name. Nothing was changed.")
    reason = _unsafe_place(private_path.parent)
    if reason:
        raise KeyProblem(f"The private key was not written: {reason}. Choose a folder of your "
                        "own outside the course, for example ~/posting-with-care-keys.")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    private_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_pem)
    os.chmod(private_path, 0o600)
    public_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.write_bytes(public_pem)


def load_private(path: Path) -> Ed25519PrivateKey:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        data = path.read_bytes()
    except OSError as error:
        raise KeyProblem(f"Cannot read the private key {path}: "
                        f"{error.strerror or error}.") from None
    if mode & 0o077:
        raise KeyProblem(f"The private key {path} can be read by other people on this computer "
                        f"(mode {mode:o}). Make it yours only (chmod 600 {path}), then run the "
                        "command again.")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyProblem(f"{path} is not a private key made by 'certificates keygen'.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyProblem(f"{path} is not an Ed25519 private key.")
    return key


def load_public(path: Path) -> Ed25519PublicKey:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KeyProblem(f"Cannot read the public key {path}: "
                        f"{error.strerror or error}.") from None
    if b"PRIVATE KEY" in data:
        raise KeyProblem(f"{path} is a private key. Give the public key (the .pub file); never "
                        "share the private one.")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise KeyProblem(f"{path} is not a public key made by 'certificates keygen'.") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyProblem(f"{path} is not an Ed25519 public key.")
    return key


def raw_public(key: Ed25519PublicKey) -> str:
    """The 32 bytes of the public key, base64 (what the verification page holds)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def signature_ok(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
