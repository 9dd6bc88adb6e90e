"""The register of invented people and practices (``content/register.yaml``), validated.

Every name that posts in the practice bank or in an exercise is listed once, with the facts that
must stay the same wherever it appears: the counsellor's town and practice, and each account
(platform, the name shown on the card, its handle, and whether a personal account is private).
:meth:`Register.account_for` finds the account a post was made from, so tests can check that a
post agrees with the register (``tests/test_register.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from course.catalogue.scenarios import CONTENT_DIR, ContentError, Platform, _describe, _read_yaml

ENTITY_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
HANDLE = r"^@[A-Za-z0-9_.]{2,30}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Account(_Strict):
    """One account, identified by its platform and the name shown on a post card."""

    platform: Platform
    kind: Literal["personal", "professional"] = "professional"
    display_name: str = Field(min_length=2)
    handle: str | None = Field(default=None, pattern=HANDLE)
    private: bool = Field(
        default=False, description="a personal account seen only by friends and family"
    )
    slipped_public: list[str] = Field(
        default_factory=list,
        description="posts that went out publicly by mistake although the account is private",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Account:
        if self.private and self.kind != "personal":
            raise ValueError("only a personal account can be private")
        if self.slipped_public and not self.private:
            raise ValueError("'slipped_public' is only for a private account")
        if self.platform == "facebook-profile" and self.kind != "personal":
            raise ValueError(
                "a Facebook profile is a person's own (use facebook-page for a practice)"
            )
        return self


class Person(_Strict):
    id: str = Field(pattern=ENTITY_ID)
    name: str = Field(min_length=3)
    role: str = Field(min_length=5)
    town: str
    practice: str | None = None
    accounts: list[Account] = Field(default_factory=list)

    @model_validator(mode="after")
    def _no_pages(self) -> Person:
        pages = [a.platform for a in self.accounts if a.platform in {"facebook-page", "website"}]
        if pages:
            raise ValueError(f"{pages[0]} accounts belong to a practice, not a person")
        return self

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


class Practice(_Strict):
    id: str = Field(pattern=ENTITY_ID)
    name: str = Field(min_length=3)
    kind: Literal["sole", "service"]
    town: str
    owner: str | None = None
    staff: list[str] = Field(default_factory=list)
    accounts: list[Account] = Field(min_length=1)

    @model_validator(mode="after")
    def _professional(self) -> Practice:
        personal = [a.display_name for a in self.accounts if a.kind != "professional"]
        if personal:
            raise ValueError(f"a practice's accounts are professional, not {personal[0]!r}")
        return self


@dataclass(frozen=True)
class Found:
    """The account a post came from, and who holds it."""

    account: Account
    holder: Person | Practice

    @property
    def person(self) -> Person | None:
        return self.holder if isinstance(self.holder, Person) else None


class Register(_Strict):
    towns: list[str] = Field(min_length=1)
    people: list[Person]
    practices: list[Practice]

    @property
    def holders(self) -> list[Person | Practice]:
        """Everyone who holds accounts: the people, then the practices."""
        return [*self.people, *self.practices]

    @model_validator(mode="after")
    def _cross_references(self) -> Register:
        people = {p.id: p for p in self.people}
        practices = {p.id: p for p in self.practices}
        for kind, ids in (("people", [p.id for p in self.people]),
                          ("practices", [p.id for p in self.practices])):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValueError(f"{kind}: id(s) used twice: {', '.join(twice)}")
        for holder in self.holders:
            if holder.town not in self.towns:
                raise ValueError(f"{holder.id}: town {holder.town!r} is not in 'towns'")
        for person in self.people:
            if person.practice is not None and person.practice not in practices:
                raise ValueError(f"{person.id}: unknown practice {person.practice!r}")
        for practice in self.practices:
            members = ([practice.owner] if practice.owner else []) + practice.staff
            for member in members:
                if member not in people:
                    raise ValueError(f"{practice.id}: unknown person {member!r}")
                if people[member].practice != practice.id:
                    raise ValueError(
                        f"{practice.id}: {member} works here, but their 'practice' says "
                        f"{people[member].practice!r}"
                    )
        seen: dict[tuple[str, str], str] = {}
        handles: dict[str, str] = {}
        for holder in self.holders:
            for account in holder.accounts:
                key = (account.platform, account.display_name)
                if key in seen:
                    raise ValueError(
                        f"{holder.id}: {account.platform} account {account.display_name!r} is "
                        f"also listed for {seen[key]}"
                    )
                seen[key] = holder.id
                if account.handle:
                    other = handles.setdefault(account.handle.lower(), holder.id)
                    if other != holder.id:
                        raise ValueError(
                            f"{holder.id}: handle {account.handle} already belongs to {other}"
                        )
        return self

    @cached_property
    def _accounts(self) -> dict[tuple[str, str], Found]:
        return {
            (account.platform, account.display_name): Found(account, holder)
            for holder in self.holders
            for account in holder.accounts
        }

    def account_for(self, platform: str, display_name: str) -> Found | None:
        """The account with this platform and card name, or ``None`` if none is registered."""
        return self._accounts.get((platform, display_name))

    def person(self, person_id: str) -> Person:
        return next(p for p in self.people if p.id == person_id)

    def practice(self, practice_id: str) -> Practice:
        return next(p for p in self.practices if p.id == practice_id)

    def name_of(self, found: Found) -> str:
        """The name a learner would recognise: a person, or the counsellor a practice is named
        after, or else the practice itself."""
        holder = found.holder
        if isinstance(holder, Practice) and holder.owner:
            owner = self.person(holder.owner)
            if owner.name in holder.name:
                return owner.id
        return holder.id

    def counsellors_at(self, holder: Person | Practice) -> set[str]:
        """First names of the counsellors who work for this person or practice."""
        if isinstance(holder, Person):
            return {holder.first_name}
        members = ([holder.owner] if holder.owner else []) + holder.staff
        return {self.person(member).first_name for member in members}

    @property
    def first_names(self) -> set[str]:
        return {person.first_name for person in self.people}


def load_register(content_dir: Path | str = CONTENT_DIR) -> Register:
    """``register.yaml``, validated: known towns and practices, no account or handle twice."""
    path = Path(content_dir) / "register.yaml"
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: expected 'towns', 'people' and 'practices'")
    try:
        return Register.model_validate(data)
    except ValidationError as error:
        raise ContentError(f"{path.name}: {_describe(error)}") from error
