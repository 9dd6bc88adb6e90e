"""Due dates, submission times and late penalties, configurable from the command line.

Penalty forms (points are taken from the *maximum* score, per started period, never below 0):
``0`` (none), ``10%`` or ``2`` (once, when late), ``10%/day``, ``2/day``, ``5%/hour``, ``1/hour``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateparser

DEFAULT_TIMEZONE = "Europe/London"
_PENALTY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*(?:/\s*(day|hour|d|h))?\s*$", re.I)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|minutes?|h|hours?|d|days?)?\s*$", re.I)


class LateSettingError(ValueError):
    """A due date, penalty or grace period the assessor typed could not be understood."""


@dataclass(frozen=True)
class Penalty:
    """``amount`` points (or percent of the maximum) per ``period`` (None: once)."""

    amount: float
    percent: bool
    period: timedelta | None

    def points(self, seconds_late: float, max_score: float) -> float:
        """The points to take off for a submission ``seconds_late`` after the deadline."""
        if seconds_late <= 0 or self.amount == 0:
            return 0.0
        periods = 1 if self.period is None else math.ceil(
            seconds_late / self.period.total_seconds())
        each = self.amount * max_score / 100 if self.percent else self.amount
        return round(periods * each, 6)

    def describe(self) -> str:
        """The penalty in words, for the report."""
        if self.amount == 0:
            return "no penalty"
        size = f"{self.amount:g}%" + " of the maximum score" if self.percent else (
            f"{self.amount:g} point" + ("" if self.amount == 1 else "s"))
        if self.period is None:
            return f"{size}, once"
        unit = "day" if self.period == timedelta(days=1) else "hour"
        return f"{size} for each started {unit} late"


@dataclass(frozen=True)
class LatePolicy:
    """The deadline (aware) or None, the penalty and a grace period."""

    due: datetime | None
    penalty: Penalty
    grace: timedelta = timedelta(0)

    def seconds_late(self, submitted: datetime | None) -> float:
        """Seconds past deadline plus grace; 0 when on time or when either time is unknown."""
        if self.due is None or submitted is None:
            return 0.0
        return max(0.0, (submitted - self.due - self.grace).total_seconds())


def zone(name: str) -> ZoneInfo:
    """A timezone by IANA name, with a plain error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LateSettingError(
            f"'{name}' is not a timezone name we know; use a name such as Europe/London "
            "or UTC.") from None


def parse_time(text: str, default_zone: ZoneInfo) -> datetime:
    """Parse a date and time; without an explicit offset it is read in ``default_zone``."""
    text = text.strip()
    parts = text.rsplit(" ", 1)
    if len(parts) == 2 and "/" in parts[1]:
        default_zone, text = zone(parts[1]), parts[0]
    try:
        moment = dateparser.parse(text, dayfirst=False, yearfirst=True)
    except (ValueError, OverflowError):
        raise LateSettingError(
            f"'{text}' is not a date and time we can read; write it like 2026-12-01 17:00."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_zone)
    return moment.astimezone(UTC)


def parse_penalty(text: str | None) -> Penalty:
    """Parse ``--late-penalty``; see the module docstring for the forms."""
    if text is None or not text.strip():
        return Penalty(0.0, False, None)
    match = _PENALTY.match(text)
    if not match:
        raise LateSettingError(
            f"'{text}' is not a late penalty we can read; write for example 10%/day, 2/day, "
            "5%/hour or 10% (taken once).")
    amount, percent, unit = float(match[1]), bool(match[2]), (match[3] or "").lower()
    if percent and amount > 100:
        raise LateSettingError("A late penalty cannot be more than 100%.")
    period = {"day": timedelta(days=1), "d": timedelta(days=1), "hour": timedelta(hours=1),
              "h": timedelta(hours=1)}.get(unit)
    return Penalty(amount, percent, period)


def parse_duration(text: str | None) -> timedelta:
    """Parse a grace period such as ``15m``, ``2h`` or ``1d`` (bare numbers are minutes)."""
    if not text:
        return timedelta(0)
    match = _DURATION.match(text)
    if not match:
        raise LateSettingError(f"'{text}' is not a grace period we can read; write 15m, 2h or 1d.")
    value, unit = float(match[1]), (match[2] or "m").lower()[0]
    return {"m": timedelta(minutes=value), "h": timedelta(hours=value),
            "d": timedelta(days=value)}[unit]


def describe_lateness(seconds: float) -> str:
    """'2 days 3 hours' style text for a lateness."""
    if seconds <= 0:
        return ""
    minutes = math.ceil(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} day" + ("s" if days != 1 else "")] if days else []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if mins and not days:
        parts.append(f"{mins} minute" + ("s" if mins != 1 else ""))
    return " ".join(parts)
