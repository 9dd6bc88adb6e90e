"""Due dates, submission times and late penalties, configurable from the command line.

Penalty forms (points are taken from the *maximum* score, per started period, never below 0):
``0`` (none), ``10%`` or ``2`` (once, when late), ``10%/day``, ``2/day``, ``5%/hour``, ``1/hour``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


ACCEPTED_FORMS = ('2026-12-01 17:00, 2026-12-01T17:00, "1 Dec 2026 17:00" or '
                  '"1 December 2026 17:00", optionally followed by a zone: UTC, GMT, BST, '
                  'Europe/London or an offset such as +01:00')
_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
    ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
    ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for name in names}
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
_CLOCK = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?" \
         r"(?:\s*(?P<ampm>am|pm))?|(?P<hour12>\d{1,2})\s*(?P<ampm12>am|pm)"
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
                  rf"(?:[T\s]+(?:{_CLOCK}))?(?P<zone>.*)$", re.I)
_DAY_MONTH = re.compile(rf"^{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>[a-z]+)\.?"
                        rf",?\s+(?P<year>\d{{4}})(?:,?\s+(?:at\s+)?(?:{_CLOCK}))?(?P<zone>.*)$",
                        re.I)
_MONTH_DAY = re.compile(rf"^{_WEEKDAY}(?P<mon>[a-z]+)\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
                        rf",?\s+(?P<year>\d{{4}})(?:,?\s+(?:at\s+)?(?:{_CLOCK}))?(?P<zone>.*)$",
                        re.I)
_NUMERIC = re.compile(r"^\s*\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}\b")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$", re.I)


@dataclass(frozen=True)
class ReadTime:
    """A time the assessor typed, as read: the moment (aware, UTC) and how it was read."""

    moment: datetime
    zone_text: str

    def echo(self) -> str:
        """The time in full words, as it was understood (shown before any penalty)."""
        return spell_out(self.moment, self.zone_text)


def spell_out(moment: datetime, zone_text: str) -> str:
    """'Tuesday 1 December 2026, 17:00 (Europe/London, GMT; 17:00 UTC)'."""
    local = moment
    try:
        if "/" in zone_text or zone_text in ("UTC",):
            local = moment.astimezone(ZoneInfo(zone_text))
    except (ZoneInfoNotFoundError, ValueError):
        local = moment
    if local is moment and zone_text not in ("", "UTC"):
        match = _OFFSET.match(zone_text)
        if match or zone_text in _FIXED:
            local = moment.astimezone(_fixed(zone_text))
    words = f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"
    abbreviation = local.tzname() or ""
    where = zone_text if abbreviation in (zone_text, "") else f"{zone_text}, {abbreviation}"
    utc = moment.astimezone(UTC)
    same = local.utcoffset() == timedelta(0)
    return f"{words} ({where}" + ("" if same and zone_text == "UTC" else
                                  f"; {utc:%Y-%m-%d %H:%M} UTC") + ")"


_FIXED = {"UTC": timedelta(0), "Z": timedelta(0), "GMT": timedelta(0),
          "BST": timedelta(hours=1)}


def _fixed(text: str) -> timezone:
    if text.upper() in _FIXED:
        return timezone(_FIXED[text.upper()], text.upper())
    match = _OFFSET.match(text)
    assert match
    delta = timedelta(hours=int(match["h"]), minutes=int(match["m"] or 0))
    if delta > timedelta(hours=14):
        raise LateSettingError(f"'{text}' is not a time-zone offset: offsets go up to ±14:00.")
    return timezone(-delta if match["sign"] == "-" else delta)


def _refuse(text: str, why: str) -> LateSettingError:
    return LateSettingError(f"'{text}' {why} Write it as one of: {ACCEPTED_FORMS}.")


def parse_time(text: str, default_zone: ZoneInfo) -> datetime:
    """Parse a deadline the assessor typed; see :func:`read_time`."""
    return read_time(text, default_zone).moment


def read_time(text: str, default_zone: ZoneInfo, need_time: bool = True) -> ReadTime:
    """Read a date and time written in a form that cannot be misread.

    Accepted: ISO (``2026-12-01 17:00``) or a month by name (``1 Dec 2026 17:00``,
    ``December 1, 2026 5:00 PM``), then optionally a zone (``UTC``, ``GMT``, ``BST``, an IANA
    name such as ``Europe/London``, or an offset such as ``+01:00``). Without a zone the time is
    read in ``default_zone``. Refused, with the forms named: all-number dates other than ISO
    (``01/12/2026`` is 1 December in the UK and 12 January in the US), a date without a time
    (when ``need_time``), unknown zone abbreviations, BST outside British Summer Time, and a
    local time that happens twice or never (the hour the clocks change).
    """
    original = text
    text = " ".join(text.strip().split())
    if not text:
        raise _refuse(original, "is empty.")
    match = _ISO.match(text)
    if match is not None:
        month = int(match["month"])
    elif _NUMERIC.match(text):
        raise _refuse(original, "is written in numbers only, which can be read two ways "
                                "(01/12/2026 is 1 December in the UK but 12 January in the "
                                "US), so it was not used.")
    else:
        match = _DAY_MONTH.match(text) or _MONTH_DAY.match(text)
        if match is None or match["mon"].casefold() not in _MONTHS:
            raise _refuse(original, "is not a date and time we can read.")
        month = _MONTHS[match["mon"].casefold()]
    hour_text = match["hour"] or match["hour12"]
    if hour_text is None:
        if need_time:
            raise LateSettingError(
                f"'{original}' has a date but no time. Add the time, for example "
                f"'{text} 17:00' (or '{text} 23:59' for the end of that day).")
        hour, minute, second = 0, 0, 0
    else:
        hour, minute = int(hour_text), int(match["minute"] or 0)
        second = int(match["second"] or 0)
        ampm = (match["ampm"] or match["ampm12"] or "").casefold()
        if ampm:
            if not 1 <= hour <= 12:
                raise _refuse(original, f"has {hour} with {ampm}.")
            hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        naive = datetime(int(match["year"]), month, int(match["day"]), hour, minute, second)
    except ValueError:
        raise _refuse(original, "is not a real date or time.") from None
    zone_text = match["zone"].strip().lstrip(",").strip()
    if zone_text.upper() == "Z" or zone_text.upper() == "UTC":
        zone_text = "UTC"
    return _in_zone(original, naive, zone_text, default_zone)


def _in_zone(original: str, naive: datetime, zone_text: str,
             default_zone: ZoneInfo) -> ReadTime:
    if not zone_text:
        return ReadTime(_local(original, naive, default_zone), str(default_zone.key))
    upper = zone_text.upper()
    if upper == "BST":
        london = naive.replace(tzinfo=ZoneInfo("Europe/London"))
        if london.utcoffset() != timedelta(hours=1):
            raise LateSettingError(
                f"'{original}' says BST (British Summer Time), but on {naive.day} "
                f"{naive:%B %Y} the UK "
                "is on GMT. Write GMT, or leave the zone out to use Europe/London's time of "
                "that day.")
    if upper in _FIXED or _OFFSET.match(zone_text):
        zone_text = "UTC" if upper in ("UTC", "Z") else upper if upper in _FIXED else zone_text
        return ReadTime(naive.replace(tzinfo=_fixed(zone_text)).astimezone(UTC), zone_text)
    if "/" in zone_text:
        return ReadTime(_local(original, naive, zone(zone_text)), zone_text)
    raise LateSettingError(
        f"'{original}' ends in '{zone_text}', which is not a zone we can read for certain "
        "(abbreviations such as EST or IST mean different things in different places). Write "
        "UTC, GMT, BST, a name such as Europe/London, or an offset such as +01:00.")


def _local(original: str, naive: datetime, where: ZoneInfo) -> datetime:
    """``naive`` read in ``where``; refused when the clocks change then (twice or never)."""
    first = naive.replace(tzinfo=where, fold=0)
    second = naive.replace(tzinfo=where, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(UTC).astimezone(where).replace(tzinfo=None)
        happens = "never happens" if round_trip != naive else "happens twice"
        raise LateSettingError(
            f"'{original}' {happens} in {where.key} (the clocks change that night). Add the "
            "offset you mean, for example +01:00 or +00:00, or choose another time.")
    return first.astimezone(UTC)


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
