"""The answer language of the graded exercises: what a learner may type on an answer line, and
how it is read. Pure Python (no IPython, no nbgrader, no answer key), so the grader, the
learner's checker in the kernel (:mod:`course.answers`) and the learner app's answer widgets
all read answers the same way.

Every answer in an exercise notebook is one line such as ``post_07 = "not acceptable"``.

Public API
----------
Formats
    :class:`AnswerFormat` (``verdict``, ``rule``, ``principle``, ``letter:abcd``):
    :meth:`~AnswerFormat.parse` a spec, list its :meth:`~AnswerFormat.choices`, tidy a
    spelling to the :meth:`~AnswerFormat.canonical` answer, :meth:`~AnswerFormat.suggest` the
    allowed word a misspelling most resembles (from the typed text alone, never the key),
    :meth:`~AnswerFormat.describe` the allowed answers in words. :data:`VERDICTS`,
    :data:`VERDICT_SYNONYMS`.
Normalising
    :func:`normalise` (case, hyphens, spaces, final full stop), :func:`is_blank` (an untouched
    ``"?"``), :func:`label` (``post_07_rule`` -> ``Post 7 (rule)``), :func:`example_line`.
Reading an answer line
    :func:`bindings` reads every top-level binding of answer names in a cell's source with
    :mod:`ast`, never running it; each is a :class:`Binding`.
Read status
    :func:`read_status` turns the last binding of a name into a :class:`Reading`
    (``status`` one of :data:`STATUSES`, the canonical ``value``, and a plain message that never
    says whether the answer is right).
Policy sections (Exercise 3, written by hand)
    :func:`policy_text` (the learner's own words in a section), :func:`policy_gaps`
    (completeness hints, never a grade), :data:`POLICY_STUB`, :data:`POLICY_MIN_WORDS`.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

__all__ = [
    "POLICY_MIN_WORDS",
    "POLICY_STUB",
    "STATUSES",
    "UNANSWERED",
    "VERDICTS",
    "VERDICT_SYNONYMS",
    "AnswerFormat",
    "Binding",
    "Reading",
    "Status",
    "bindings",
    "example_line",
    "is_blank",
    "label",
    "normalise",
    "policy_gaps",
    "policy_text",
    "read_status",
]

VERDICTS: tuple[str, ...] = ("acceptable", "not acceptable")
#: Other words read as a verdict: clear synonyms only (normalised spelling -> verdict).
VERDICT_SYNONYMS: dict[str, str] = {"unacceptable": "not acceptable"}
UNANSWERED = "?"
#: The text nbgrader puts in each written (policy) answer cell of the released exercise.
POLICY_STUB = (
    "*Replace this line with your own words: double-click here to edit, then press Shift + Enter.*"
)
POLICY_MIN_WORDS = 20

Status = Literal["answered", "unanswered", "unreadable", "missing"]
#: Every read status, from best to worst.
STATUSES: tuple[Status, ...] = ("answered", "unanswered", "unreadable", "missing")

MAX_PARSED_CELL = 200_000  # characters: a longer cell is read line by line, never parsed whole
_ANSWER_LINE = re.compile(r"^\s*([A-Za-z_]\w*)\s*=(?!=)")


# --------------------------------------------------------------------------------------------
# Formats: which words each answer accepts
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AnswerFormat:
    """What one answer line accepts: a kind, plus the option letters for ``letter``."""

    kind: str
    letters: str = ""

    @classmethod
    def parse(cls, spec: str) -> AnswerFormat:
        """``"verdict"``, ``"rule"``, ``"principle"`` or ``"letter:abc"``."""
        kind, _, letters = spec.partition(":")
        if kind not in ("verdict", "rule", "principle", "letter"):
            raise ValueError(f"unknown answer format {spec!r}")
        if kind == "letter" and not re.fullmatch(r"[a-h]{2,8}", letters):
            raise ValueError(f"answer format {spec!r} needs option letters, e.g. 'letter:abcd'")
        return cls(kind, letters if kind == "letter" else "")

    @property
    def spec(self) -> str:
        return f"letter:{self.letters}" if self.kind == "letter" else self.kind

    def choices(self) -> tuple[str, ...]:
        """The canonical answers, in the order they are listed to the learner."""
        if self.kind == "verdict":
            return VERDICTS
        if self.kind == "letter":
            return tuple(self.letters)
        return tuple(dict.fromkeys(_framework_words(self.kind).values()))

    def canonical(self, text: str | None) -> str | None:
        """The canonical answer ``text`` stands for, or None when it is not one of them.

        Case, hyphens, underscores, extra or missing spaces and a final full stop don't matter
        (``Not-Acceptable.``, ``notacceptable``); ``unacceptable`` reads as ``not acceptable``.
        """
        if text is None:
            return None
        key = normalise(text)
        if self.kind == "letter":
            key = re.sub(r"^(option|answer)\s+", "", key).strip("()[]. ")
            return key if len(key) == 1 and key in self.letters else None
        words = self.spellings()
        found = words.get(key)
        if found is None:
            found = {k.replace(" ", ""): v for k, v in words.items()}.get(key.replace(" ", ""))
        return found

    def spellings(self) -> dict[str, str]:
        """Every accepted spelling (normalised) -> canonical answer (not used for letters)."""
        if self.kind == "verdict":
            return {**{v: v for v in VERDICTS}, **VERDICT_SYNONYMS}
        if self.kind == "letter":
            return {letter: letter for letter in self.letters}
        return _framework_words(self.kind)

    def suggest(self, text: str | None) -> str | None:
        """The allowed answer that ``text`` most resembles, judged from the typed text alone
        (never from the key), or None when nothing is close. Used for "Did you mean ...?"."""
        if not text or self.kind == "letter":
            return None
        found = self.canonical(text)
        if found is not None:
            return found
        words = {k: v for k, v in self.spellings().items() if not re.search(r"\d", k)}
        squashed = {k.replace(" ", ""): v for k, v in words.items()}
        key = normalise(text)
        for table, probe in ((words, key), (squashed, key.replace(" ", ""))):
            close = difflib.get_close_matches(probe, list(table), n=1, cutoff=0.7)
            if close:
                return table[close[0]]
        return None

    def describe(self) -> str:
        """The allowed answers in plain English, for messages."""
        if self.kind == "verdict":
            return "acceptable or not acceptable"
        if self.kind == "letter":
            letters = list(self.letters)
            return ", ".join(letters[:-1]) + " or " + letters[-1]
        words = list(self.choices())
        text = ", ".join(words[:-1]) + " or " + words[-1]
        if self.kind == "rule":
            text += f" (or the rule's number, 1 to {len(words)})"
        return text


def normalise(text: str) -> str:
    """Lower case, ``-`` and ``_`` as spaces, single spaces, no outer spaces or full stop."""
    text = text.casefold().replace("\u2019", "'").replace("-", " ").replace("_", " ")
    return " ".join(text.split()).strip(" .")


def is_blank(text: str | None) -> bool:
    """True for an untouched ``"?"`` or an empty answer."""
    return text is not None and normalise(text) in ("", UNANSWERED)


@lru_cache(maxsize=2)
def _framework_words(kind: str) -> dict[str, str]:
    """Every accepted spelling (normalised) -> canonical id, for ``rule`` or ``principle``."""
    from course.catalogue.scenarios import load_framework

    framework = load_framework()
    words: dict[str, str] = {}
    if kind == "rule":
        for rule in framework.rules:
            for alias in (rule.id, str(rule.number), f"rule {rule.number}", rule.short):
                words.setdefault(normalise(alias), rule.id)
    else:
        for principle in framework.principles:
            for alias in (principle.id, principle.name):
                words.setdefault(normalise(alias), principle.id)
    return words


def label(name: str) -> str:
    """How an answer is named to the learner: ``post_07_rule`` -> ``Post 7 (rule)``."""
    match = re.fullmatch(r"(post|situation)_(\d+)(?:_(rule|principle))?", name)
    if not match:
        return name.replace("_", " ").capitalize()
    text = f"{match[1].capitalize()} {int(match[2])}"
    return f"{text} ({match[3]})" if match[3] else text


def example_line(name: str) -> str:
    """The shape of an answer line, with no particular answer in it."""
    return f'{name} = "your answer"'


# --------------------------------------------------------------------------------------------
# Reading answer lines without running them
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Binding:
    """One place where a cell gives a value to an answer name.

    ``raw`` is the text between the quotes when the line is exactly ``name = "text"``; otherwise
    ``raw`` is None and ``problem`` says why: ``"syntax"`` (the cell cannot be read as Python)
    or ``"not-text"`` (the name gets something other than text in quotes). ``typed`` is what
    stands after the ``=`` of such a line, quotation marks trimmed (None when there is no single
    such line): it is only used to suggest how the line was probably meant.
    """

    name: str
    raw: str | None
    problem: str | None = None
    typed: str | None = None


_QUOTES = "\"'\u201c\u201d\u2018\u2019 "


def _typed(text: str) -> str | None:
    text = text.split("#", 1)[0].strip().strip(_QUOTES)
    return text or None


def bindings(source: str, names: Collection[str] | None = None) -> list[Binding]:
    """Every top-level binding of the answer ``names`` in one cell, in order. Nothing is run.

    A cell that is not valid Python runs nothing, so each ``name = ...`` line in it becomes a
    ``"syntax"`` binding. Names bound in any other way (``+=``, ``for``, ``import``, ``def``,
    unpacking, a value that is not plain text in quotes...) become ``"not-text"`` bindings.

    The work is bounded whatever the learner typed: nothing here recurses on the cell's text
    (a cell too deeply nested for Python's parser is read line by line instead), and each
    statement is looked at once.
    """
    if names is not None and not any(name in source for name in names):
        return []  # a cell that never mentions an answer cannot bind one
    if len(source) > MAX_PARSED_CELL:
        return _line_bindings(source, names)
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return _syntax_bindings(source, names)
    except (RecursionError, MemoryError):
        return _line_bindings(source, names)
    found = []
    lines: list[str] | None = None
    for statement in tree.body:
        literal = _literal_assignment(statement)
        if literal is not None:
            if names is None or literal.name in names:
                found.append(literal)
            continue
        bound = [name for name in dict.fromkeys(_bound_names(statement))
                 if names is None or name in names]
        if not bound:
            continue
        if lines is None:
            lines = source.splitlines(keepends=True)
        typed = _typed_value(lines, statement)
        found.extend(Binding(name, None, "not-text", typed) for name in bound)
    return found


def _syntax_bindings(source: str, names: Collection[str] | None) -> list[Binding]:
    found = []
    for line in source.splitlines():
        match = _ANSWER_LINE.match(line)
        if match and (names is None or match[1] in names):
            found.append(Binding(match[1], None, "syntax", _typed(line[match.end():])))
    return found


def _line_bindings(source: str, names: Collection[str] | None) -> list[Binding]:
    """A cell Python cannot parse as a whole (nested too deeply): each answer line alone."""
    found = []
    for line in source.splitlines():
        match = _ANSWER_LINE.match(line)
        if not match or (names is not None and match[1] not in names):
            continue
        try:
            found.extend(bindings(line.strip(), names) if len(line) < 10_000 else
                         _syntax_bindings(line, names))
        except (RecursionError, MemoryError):
            found.extend(_syntax_bindings(line, names))
    return found


def _typed_value(lines: list[str], statement: ast.stmt) -> str | None:
    """For ``name = something`` (one plain name on the left), the text of ``something``."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        value = statement.value
        if value.end_lineno is None or value.end_col_offset is None:
            return None
        if value.end_lineno - value.lineno > 50:
            return None  # only a suggestion: not worth reading a huge value for
        chunk = lines[value.lineno - 1: value.end_lineno]
        if not chunk:
            return None
        if len(chunk) == 1:
            text = chunk[0].encode()[value.col_offset: value.end_col_offset].decode(
                errors="replace")
        else:
            first = chunk[0].encode()[value.col_offset:].decode(errors="replace")
            last = chunk[-1].encode()[: value.end_col_offset].decode(errors="replace")
            text = first + "".join(chunk[1:-1]) + last
        return _typed(text)
    return None


def _literal_assignment(statement: ast.stmt) -> Binding | None:
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and isinstance(statement.value, ast.Constant)
        and type(statement.value.value) is str
    ):
        return Binding(statement.targets[0].id, statement.value.value)
    return None


def _bound_names(statement: ast.AST) -> Iterable[str]:
    """Names a top-level statement binds in the notebook's namespace (nested scopes skipped).

    Walks the tree with a list, not recursion, so a very deep expression costs only time."""
    stack = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield node.name
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            yield node.id
        elif isinstance(node, ast.alias):
            yield (node.asname or node.name).split(".")[0]
        elif isinstance(node, ast.ExceptHandler) and node.name:
            yield node.name
        elif isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
            yield node.name
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


# --------------------------------------------------------------------------------------------
# What an answer's state means, in words (shared by the learner's checks and the grader)
# --------------------------------------------------------------------------------------------
class Reading(NamedTuple):
    """What an answer line says, as :func:`read_status` reads it (unpacks as a tuple)."""

    status: Status
    value: str | None
    message: str


def read_status(name: str, fmt: AnswerFormat, binding: Binding | None) -> Reading:
    """How the last binding of ``name`` reads (``binding`` None: there is no answer line).

    The result unpacks as ``status, value, message``: ``status`` is one of :data:`STATUSES`,
    ``value`` the canonical answer when answered (else None). The message never says whether
    the answer is right.
    """
    who = label(name)
    if binding is None:
        return Reading("missing", None, (
            f"{who}: the answer line is missing. Type it back on a line of its own, as "
            f"{example_line(name)}, with {fmt.describe()} between the quotation marks."
        ))
    if binding.raw is None:
        meant = fmt.suggest(binding.typed)
        if binding.problem == "syntax":
            start = f"{who}: this line can't be read."
            advice = "Keep your answer between the two quotation marks"
        else:
            start = f"{who}: put your answer between the quotation marks and nothing else."
            advice = "Keep the quotation marks"
        if meant is not None:
            return Reading("unreadable", None,
                           f'{start} Did you mean {name} = "{meant}"? {advice}.')
        return Reading("unreadable", None, (
            f"{start} {advice}, as {example_line(name)}, and type {fmt.describe()}."
        ))
    if is_blank(binding.raw):
        return Reading("unanswered", None, (
            f"{who} has no answer yet. Type {fmt.describe()} between the quotation marks."
        ))
    typed = binding.raw.strip()
    value = fmt.canonical(typed)
    if value is None:
        meant = fmt.suggest(typed)
        hint = f" Did you mean \u201c{meant}\u201d?" if meant is not None else ""
        return Reading("unreadable", None, (
            f"{who}: \u201c{typed}\u201d isn't one of the answers the marker can read.{hint} "
            f"Type {fmt.describe()}."
        ))
    if normalise(typed).replace(" ", "") != normalise(value).replace(" ", ""):
        return Reading("answered", value,
                       f"{who}: \u201c{typed}\u201d is read as \u201c{value}\u201d.")
    return Reading("answered", value, f"{who}: your answer \u201c{value}\u201d can be read.")


# --------------------------------------------------------------------------------------------
# The written policy (exercise 3): completeness hints, never a grade
# --------------------------------------------------------------------------------------------
def policy_text(source: str) -> str:
    """The learner's own words in a policy answer cell: headings and the stub line removed."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith("#")]
    return "\n".join(lines).replace(POLICY_STUB, "").strip()


def policy_gaps(texts: Mapping[str, str | None], spec: Mapping[str, Mapping]) -> list[str]:
    """Hints for the sections that are missing, short, or don't yet touch their topic.

    ``texts`` maps a section id to the cell's source (None when the cell is missing); ``spec``
    maps a section id to ``{"label", "keywords", "hint"}``.
    """
    hints = []
    for section_id, section in spec.items():
        name = section["label"]
        text = policy_text(texts.get(section_id) or "")
        words = len(re.findall(r"\w+", text))
        if words == 0:
            hints.append(f"\u201c{name}\u201d: not written yet.")
        elif words < POLICY_MIN_WORDS:
            hints.append(
                f"\u201c{name}\u201d: only {words} words so far. A client will need a little "
                "more to understand what you mean."
            )
        elif not any(_mentions(text, keyword) for keyword in section["keywords"]):
            hints.append(f"\u201c{name}\u201d: {section['hint']}")
    return hints


def _mentions(text: str, keyword: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(keyword.casefold()), text.casefold()) is not None
