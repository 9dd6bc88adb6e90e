"""Answer lines in the graded exercises: what a learner may type, and how an answer is read.

Every answer in an exercise notebook is one line such as ``post_07 = "not acceptable"``. This
module is shared by the learner's notebook and the grader, and it holds no answer key:

* the answer formats (``verdict``, ``rule``, ``principle``, ``letter:abcd``), the words each
  accepts and how spelling variants are tidied (:func:`canonical`);
* :func:`bindings`, which reads answer lines from cell source with :mod:`ast`, never running them;
* the learner-side checker (:func:`start`, :func:`check`, :func:`check_all`,
  :func:`check_policy`). Its messages say whether an answer *can be read*, never whether it is
  right.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import textwrap
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

VERDICTS: tuple[str, ...] = ("acceptable", "not acceptable")
UNANSWERED = "?"
#: The text nbgrader puts in each written (policy) answer cell of the released exercise.
POLICY_STUB = (
    "*Replace this line with your own words: double-click here to edit, then press Shift + Enter.*"
)
POLICY_MIN_WORDS = 20

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
        """The canonical answer ``text`` stands for, or None when it is not one of them."""
        if text is None:
            return None
        key = normalise(text)
        if self.kind == "letter":
            key = re.sub(r"^(option|answer)\s+", "", key).strip("()[]. ")
            return key if len(key) == 1 and key in self.letters else None
        if self.kind == "verdict":
            return key if key in VERDICTS else None
        return _framework_words(self.kind).get(key)

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
    from course.scenarios import load_framework

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
    or ``"not-text"`` (the name gets something other than text in quotes).
    """

    name: str
    raw: str | None
    problem: str | None = None


def bindings(source: str, names: Collection[str] | None = None) -> list[Binding]:
    """Every top-level binding of the answer ``names`` in one cell, in order. Nothing is run.

    A cell that is not valid Python runs nothing, so each ``name = ...`` line in it becomes a
    ``"syntax"`` binding. Names bound in any other way (``+=``, ``for``, ``import``, ``def``,
    unpacking, a value that is not plain text in quotes...) become ``"not-text"`` bindings.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        found = []
        for line in source.splitlines():
            match = _ANSWER_LINE.match(line)
            if match and (names is None or match[1] in names):
                found.append(Binding(match[1], None, "syntax"))
        return found
    found = []
    for statement in tree.body:
        literal = _literal_assignment(statement)
        if literal is not None:
            if names is None or literal.name in names:
                found.append(literal)
            continue
        for name in dict.fromkeys(_bound_names(statement)):
            if names is None or name in names:
                found.append(Binding(name, None, "not-text"))
    return found


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


def _bound_names(node: ast.AST) -> Iterable[str]:
    """Names a top-level statement binds in the notebook's namespace (nested scopes skipped)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield node.name
        return
    if isinstance(node, ast.Lambda):
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
        yield node.id
    elif isinstance(node, ast.alias):
        yield (node.asname or node.name).split(".")[0]
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name
    elif isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
        yield node.name
    for child in ast.iter_child_nodes(node):
        yield from _bound_names(child)


# --------------------------------------------------------------------------------------------
# What an answer's state means, in words (shared by the learner's checks and the grader)
# --------------------------------------------------------------------------------------------
def read_status(
    name: str, fmt: AnswerFormat, binding: Binding | None
) -> tuple[str, str | None, str]:
    """``(status, value, message)`` for the last binding of ``name`` (None: no answer line).

    ``status`` is ``answered``, ``unanswered``, ``unreadable`` or ``missing``; ``value`` is the
    canonical answer when answered. The message never says whether the answer is right.
    """
    who = label(name)
    if binding is None:
        return "missing", None, (
            f"{who}: the answer line is missing. Type it back on a line of its own, as "
            f"{example_line(name)}, with {fmt.describe()} between the quotation marks."
        )
    if binding.problem == "syntax":
        return "unreadable", None, (
            f"{who}: this line can't be read. Keep your answer between the two quotation marks, "
            f"as {example_line(name)}, and type {fmt.describe()}."
        )
    if binding.raw is None:
        return "unreadable", None, (
            f"{who}: put your answer between the quotation marks and nothing else, as "
            f"{example_line(name)}, and type {fmt.describe()}."
        )
    if is_blank(binding.raw):
        return "unanswered", None, (
            f"{who} has no answer yet. Type {fmt.describe()} between the quotation marks."
        )
    value = fmt.canonical(binding.raw)
    if value is None:
        return "unreadable", None, (
            f"{who}: \u201c{binding.raw.strip()}\u201d isn't one of the answers the marker can "
            f"read. Type {fmt.describe()}."
        )
    return "answered", value, f"{who}: your answer \u201c{value}\u201d can be read."


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


# --------------------------------------------------------------------------------------------
# The learner's side: messages in the exercise notebook
# --------------------------------------------------------------------------------------------
@dataclass
class _Checker:
    exercise: str
    formats: dict[str, AnswerFormat]
    policy: dict[str, dict] = field(default_factory=dict)
    records: dict[str, Binding] = field(default_factory=dict)
    current_cell: str = ""


_checker: _Checker | None = None


def start(
    exercise: str, answers: Mapping[str, str], policy: Mapping[str, Mapping] | None = None
) -> None:
    """Set up the checker for one exercise notebook (called by its hidden first cell).

    ``answers`` maps each answer name to its format (``"verdict"``, ``"letter:abc"``...);
    ``policy`` describes the sections of a written policy, for :func:`check_policy`.
    """
    global _checker
    _checker = _Checker(
        exercise=exercise,
        formats={name: AnswerFormat.parse(spec) for name, spec in answers.items()},
        policy={key: dict(value) for key, value in (policy or {}).items()},
    )
    shell = _shell()
    if shell is None:
        return
    for event, callback in (("pre_run_cell", _before_cell), ("post_run_cell", _after_cell)):
        callbacks = shell.events.callbacks[event]
        for old in [c for c in callbacks if getattr(c, "__name__", "") == callback.__name__]:
            shell.events.unregister(event, old)
        shell.events.register(event, callback)
    shell.set_custom_exc((SyntaxError, NameError), _friendly_error)


def check(name: str) -> None:
    """Say (on stderr) if one answer is unanswered or can't be read; stay quiet when it can."""
    if _checker is None or name not in _checker.formats:
        _say_problem(
            "The answer checker isn't running. Choose Run \u25b8 Run All Cells from the menu."
        )
        return
    status, _, message = _status_of(name)
    if status != "answered":
        _say_problem(message)


def check_all() -> None:
    """List every answer that is unanswered or can't be read, without judging any answer."""
    if _checker is None:
        print("The answer checker isn't running. Choose Run \u25b8 Run All Cells from the menu.")
        return
    results = {name: _status_of(name) for name in _checker.formats}
    readable = [name for name, (status, _, _) in results.items() if status == "answered"]
    todo = [name for name, (status, _, _) in results.items() if status in ("unanswered", "missing")]
    unreadable = [message for status, _, message in results.values() if status == "unreadable"]
    total = len(results)
    lines = [f"You have answered {len(readable)} of {total} in a way the marker can read."]
    if todo:
        lines.append("Still to answer: " + ", ".join(label(name) for name in todo) + ".")
    if unreadable:
        lines.append("Can't be read yet:")
        lines.extend("  \u2022 " + message for message in unreadable)
    if len(readable) == total:
        lines.append("Every answer can be read. Save the notebook, then submit it.")
    lines.append("(This check never says whether an answer is right: your feedback will.)")
    print("\n".join(lines))


def check_policy(notebook: str | os.PathLike | None = None) -> None:
    """Hints about unfinished parts of the written policy, read from the saved notebook."""
    if _checker is None or not _checker.policy:
        _say_problem(
            "The policy checker isn't running. Choose Run \u25b8 Run All Cells from the menu."
        )
        return
    path = _find_notebook(notebook)
    if path is None:
        _say_problem(
            "I couldn't find this notebook's saved file. Save it (Ctrl + S), then run this "
            "cell again."
        )
        return
    texts = _policy_cells(path, _checker.policy)
    hints = policy_gaps(texts, _checker.policy)
    if hints:
        _say_problem(
            "Your saved policy: a few sections could say more (this is a hint, not a mark).\n"
            + "\n".join("  \u2022 " + hint for hint in hints)
            + "\nSave (Ctrl + S) after editing, then run this cell again."
        )
    else:
        print(
            "Every section of your saved policy has some words in it and touches its topic. "
            "Your assessor will read it against the rubric above."
        )


def _status_of(name: str) -> tuple[str, str | None, str]:
    assert _checker is not None
    fmt = _checker.formats[name]
    binding = _checker.records.get(name)
    if binding is None:
        shell = _shell()
        namespace = shell.user_ns if shell is not None else {}
        if name in namespace:
            value = namespace[name]
            binding = Binding(name, value if type(value) is str else None, None)
    return read_status(name, fmt, binding)


def _say_problem(message: str) -> None:
    lines = [textwrap.fill(line, 78, subsequent_indent="    " if line.startswith("  ") else "")
             for line in message.splitlines()]
    print("\n".join(lines), file=sys.stderr)


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the course always has IPython
        return None
    return get_ipython()


def _answer_names_in(source: str) -> list[str]:
    if _checker is None:
        return []
    return [b.name for b in bindings(source, _checker.formats)]


def _before_cell(info) -> None:
    if _checker is not None:
        _checker.current_cell = info.raw_cell or ""


def _after_cell(result) -> None:
    if _checker is None:
        return
    source = result.info.raw_cell or ""
    latest = {b.name: b for b in bindings(source, _checker.formats)}
    error = result.error_before_exec or result.error_in_exec
    explained = isinstance(error, SyntaxError | NameError)  # _friendly_error has said it
    for name, binding in latest.items():
        _checker.records[name] = binding
        status, _, message = read_status(name, _checker.formats[name], binding)
        if status == "answered":
            print(message)
        elif status == "unreadable" and not explained:
            _say_problem(message)


def _friendly_error(shell, etype, value, tb, tb_offset=None) -> None:
    """Errors in an answer line get one plain sentence; any other cell keeps its usual message."""
    names = _answer_names_in(_checker.current_cell) if _checker is not None else []
    if names and issubclass(etype, SyntaxError | NameError):
        fmt = _checker.formats[names[-1]]
        message = read_status(names[-1], fmt, Binding(names[-1], None, "syntax"))[2]
        if issubclass(etype, NameError):
            message = read_status(names[-1], fmt, Binding(names[-1], None, "not-text"))[2]
        shell._showtraceback(etype, value, [message])
    elif issubclass(etype, SyntaxError):
        shell.showsyntaxerror()
    else:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)


def _find_notebook(notebook: str | os.PathLike | None) -> Path | None:
    assert _checker is not None
    candidates = []
    if notebook:
        candidates.append(Path(notebook))
    session = os.environ.get("JPY_SESSION_NAME")
    if session:
        candidates.append(Path(session))
    candidates.append(Path.cwd() / f"{_checker.exercise}.ipynb")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    others = [
        path for path in Path.cwd().glob("*.ipynb")
        if any(key in path.read_text(encoding="utf-8", errors="replace") for key in _checker.policy)
    ]
    return max(others, key=lambda p: p.stat().st_mtime) if others else None


def _policy_cells(path: Path, spec: Mapping[str, Mapping]) -> dict[str, str | None]:
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        cells = []
    texts: dict[str, str | None] = dict.fromkeys(spec)
    for cell in cells if isinstance(cells, list) else []:
        grade_id = ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id")
        if grade_id in spec and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            texts[grade_id] = "".join(source) if isinstance(source, list) else str(source)
    return texts
