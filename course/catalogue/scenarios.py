"""The scenario bank: validated data files, loaded as a pandas DataFrame.

Every file in ``course/content`` is checked against the schema below before anything uses it.
A malformed file raises :class:`ContentError`, whose message names the file, the post id and
the field, so whoever edits the content can find the mistake at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for (lessons load faster)
    import pandas as pd

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"
POSTS_DIR = CONTENT_DIR / "posts"

Verdict = Literal["acceptable", "not acceptable"]
VERDICTS: tuple[str, ...] = ("acceptable", "not acceptable")
Platform = Literal[
    "facebook-page",
    "facebook-profile",
    "facebook-group",
    "x",
    "instagram",
    "linkedin",
    "tiktok",
    "blog",
    "website",
    "review-site",
    "direct-message",
    "whatsapp",
    "professional-forum",
]
PLATFORM_NAMES: dict[str, str] = {
    "facebook-page": "Facebook page",
    "facebook-profile": "Facebook profile",
    "facebook-group": "Facebook group",
    "x": "X",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "blog": "Blog",
    "website": "Practice website",
    "review-site": "Review site",
    "direct-message": "Direct message",
    "whatsapp": "WhatsApp",
    "professional-forum": "Professional forum",
}


ACCOUNT_LABELS: dict[str, str] = {"professional": "Professional account",
                                  "personal": "Personal account"}
#: Each platform's badge colour, used by the lessons' cards and the presentation; white text
#: sits on each (contrast at least 4.5:1, checked in tests/test_widgets.py).
PLATFORM_COLOURS: dict[str, str] = {
    "facebook-page": "#1559c2",
    "facebook-profile": "#1559c2",
    "facebook-group": "#1559c2",
    "x": "#0f1419",
    "instagram": "#b1306e",
    "linkedin": "#0a66c2",
    "tiktok": "#25252b",
    "blog": "#6a3d9a",
    "website": "#2f5d50",
    "review-site": "#006b47",
    "direct-message": "#4a4fa3",
    "whatsapp": "#0b6b4f",
    "professional-forum": "#8a4500",
}


class ContentError(ValueError):
    """A content file is malformed; the message says which file, which post and which field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Principle(_Strict):
    id: str
    name: str
    plain: str

    @property
    def described(self) -> str:
        """'Being trustworthy — …': the name with its plain meaning (feedback's wording)."""
        return f"{self.name} \u2014 {self.plain}"


class Rule(_Strict):
    id: str
    number: int
    short: str
    title: str
    plain: str

    @property
    def name(self) -> str:
        """'Rule 1: Never share anything about a client online' (how a rule is named to a
        learner everywhere: lessons' widgets, feedback pages, the trainer's report)."""
        return f"Rule {self.number}: {self.title}"

    @property
    def numbered(self) -> str:
        """'1. Never share anything about a client online' (lists of rules, nbgrader feedback)."""
        return f"{self.number}. {self.title}"


class Topic(_Strict):
    id: str
    title: str
    plain: str


class Framework(_Strict):
    principles: list[Principle]
    rules: list[Rule]
    topics: list[Topic]


class Post(_Strict):
    id: str = Field(pattern=r"^p\d{3}$")
    lesson: str = Field(pattern=r"^\d{2}-[a-z0-9-]+$")
    platform: Platform
    account: Literal["professional", "personal"]
    poster: str = Field(min_length=3, description="who is posting, e.g. 'a trainee counsellor'")
    display_name: str = Field(min_length=2, description="the invented name shown on the card")
    handle: str | None = Field(default=None, pattern=r"^@[A-Za-z0-9_.]{2,30}$")
    text: str = Field(min_length=10)
    context: str | None = None
    verdict: Verdict
    rules: list[str] = Field(default_factory=list)
    principles: list[str] = Field(min_length=1)
    topics: list[str] = Field(default_factory=list)
    explanation: str = Field(min_length=40)
    difficulty: Literal["easy", "medium", "hard"] = "medium"

    @field_validator("explanation")
    @classmethod
    def _two_to_four_sentences(cls, value: str) -> str:
        sentences = [s for s in _split_sentences(value) if s]
        if not 2 <= len(sentences) <= 4:
            raise ValueError(f"should be 2 to 4 sentences, found {len(sentences)}")
        return value


def _split_sentences(text: str) -> list[str]:
    import re

    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'‘“])", text.strip())]


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ContentError(f"{path.name}: cannot be read as YAML ({error})") from error


def _describe(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        field = ".".join(str(p) for p in problem["loc"]) or "(whole entry)"
        parts.append(f"field '{field}': {problem['msg']}")
    return "; ".join(parts)


@lru_cache(maxsize=4)
def load_framework(content_dir: Path = CONTENT_DIR) -> Framework:
    """Principles, rules and topics from ``framework.yaml``, validated."""
    path = Path(content_dir) / "framework.yaml"
    data = _read_yaml(path)
    try:
        framework = Framework.model_validate(data)
    except ValidationError as error:
        raise ContentError(f"{path.name}: {_describe(error)}") from error
    for kind in ("principles", "rules", "topics"):
        ids = [item.id for item in getattr(framework, kind)]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ContentError(f"{path.name}: duplicate {kind} id(s): {', '.join(duplicates)}")
    return framework


def _validate_posts(path: Path, framework: Framework) -> list[Post]:
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
        raise ContentError(f"{path.name}: expected a top-level 'posts:' list")
    known = {
        "rules": {r.id for r in framework.rules},
        "principles": {p.id for p in framework.principles},
        "topics": {t.id for t in framework.topics},
    }
    posts = []
    for index, entry in enumerate(data["posts"], start=1):
        post_id = f"entry #{index}"
        if isinstance(entry, dict):
            post_id = entry.get("id", post_id)
        try:
            post = Post.model_validate(entry)
        except ValidationError as error:
            raise ContentError(f"{path.name}: post {post_id}: {_describe(error)}") from error
        for field, allowed in known.items():
            unknown = [value for value in getattr(post, field) if value not in allowed]
            if unknown:
                raise ContentError(
                    f"{path.name}: post {post.id}: field '{field}': unknown id(s) "
                    f"{', '.join(unknown)} (known: {', '.join(sorted(allowed))})"
                )
        if post.verdict == "not acceptable" and not post.rules:
            raise ContentError(
                f"{path.name}: post {post.id}: field 'rules': a not-acceptable post must name "
                "at least one rule it breaks"
            )
        posts.append(post)
    return posts


def load_posts(content_dir: Path | str = CONTENT_DIR) -> list[Post]:
    """Every post in ``content_dir/posts/*.yaml``, validated, in id order."""
    content_dir = Path(content_dir)
    framework = load_framework(content_dir)
    files = sorted((content_dir / "posts").glob("*.yaml"))
    if not files:
        raise ContentError(f"{content_dir / 'posts'}: no post files found")
    posts: list[Post] = []
    seen: dict[str, str] = {}
    for path in files:
        for post in _validate_posts(path, framework):
            if post.id in seen:
                raise ContentError(
                    f"{path.name}: post {post.id}: field 'id': already used in {seen[post.id]}"
                )
            seen[post.id] = path.name
            posts.append(post)
    return sorted(posts, key=lambda p: p.id)


def load(content_dir: Path | str = CONTENT_DIR) -> pd.DataFrame:
    """The scenario bank as a DataFrame, one row per post, after validating every file.

    List fields (``rules``, ``principles``, ``topics``) stay as Python lists in their cells.
    """
    import pandas as pd

    posts = load_posts(content_dir)
    frame = pd.DataFrame([post.model_dump() for post in posts])
    return frame.set_index("id", drop=False)


def posts_for(lesson: str, content_dir: Path | str = CONTENT_DIR) -> list[Post]:
    """The posts of one lesson, in id order."""
    return [post for post in load_posts(content_dir) if post.lesson == lesson]


def by_id(ids: Iterable[str], content_dir: Path | str = CONTENT_DIR) -> list[Post]:
    """Posts by id, in the order asked; an unknown id raises :class:`ContentError`."""
    index = {post.id: post for post in load_posts(content_dir)}
    missing = [i for i in ids if i not in index]
    if missing:
        raise ContentError(f"unknown post id(s): {', '.join(missing)}")
    return [index[i] for i in ids]
