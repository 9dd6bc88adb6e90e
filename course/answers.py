"""Answer lines in the graded exercises: what a learner may type, and how an answer is read.

Every answer in an exercise notebook is one line such as ``post_07 = "not acceptable"``. This
module is shared by the learner's notebook and the grader, and it holds no answer key:

* the answer formats (``verdict``, ``rule``, ``principle``, ``letter:abcd``), the words each
  accepts, how spelling variants are tidied (:meth:`AnswerFormat.canonical`) and which allowed
  word a misspelling most resembles (:meth:`AnswerFormat.suggest`, from the typed text alone);
* :func:`bindings`, which reads answer lines from cell source with :mod:`ast`, never running them;
* the learner-side checker (:func:`start`, :func:`check`, :func:`check_all`,
  :func:`check_policy`). Its messages say whether an answer *can be read*, never whether it is
  right. It starts itself from the notebook's set-up cell when a check runs first, shows each
  message once as a calm note (never as an error), and reports problems on stderr only while
  nbgrader runs the notebook (the learner's Validate button), so Validate can list them.
"""

from __future__ import annotations

import ast
import difflib
import html
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
#: Other words read as a verdict: clear synonyms only (normalised spelling -> verdict).
VERDICT_SYNONYMS: dict[str, str] = {"unacceptable": "not acceptable"}
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
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        found = []
        for line in source.splitlines():
            match = _ANSWER_LINE.match(line)
            if match and (names is None or match[1] in names):
                found.append(Binding(match[1], None, "syntax", _typed(line[match.end():])))
        return found
    found = []
    for statement in tree.body:
        literal = _literal_assignment(statement)
        if literal is not None:
            if names is None or literal.name in names:
                found.append(literal)
            continue
        typed = _typed_value(source, statement)
        for name in dict.fromkeys(_bound_names(statement)):
            if names is None or name in names:
                found.append(Binding(name, None, "not-text", typed))
    return found


def _typed_value(source: str, statement: ast.stmt) -> str | None:
    """For ``name = something`` (one plain name on the left), the text of ``something``."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return _typed(ast.get_source_segment(source, statement.value) or "")
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
    if binding.raw is None:
        meant = fmt.suggest(binding.typed)
        if binding.problem == "syntax":
            start = f"{who}: this line can't be read."
            advice = "Keep your answer between the two quotation marks"
        else:
            start = f"{who}: put your answer between the quotation marks and nothing else."
            advice = "Keep the quotation marks"
        if meant is not None:
            return "unreadable", None, f'{start} Did you mean {name} = "{meant}"? {advice}.'
        return "unreadable", None, (
            f"{start} {advice}, as {example_line(name)}, and type {fmt.describe()}."
        )
    if is_blank(binding.raw):
        return "unanswered", None, (
            f"{who} has no answer yet. Type {fmt.describe()} between the quotation marks."
        )
    typed = binding.raw.strip()
    value = fmt.canonical(typed)
    if value is None:
        meant = fmt.suggest(typed)
        hint = f" Did you mean \u201c{meant}\u201d?" if meant is not None else ""
        return "unreadable", None, (
            f"{who}: \u201c{typed}\u201d isn't one of the answers the marker can read.{hint} "
            f"Type {fmt.describe()}."
        )
    if normalise(typed).replace(" ", "") != normalise(value).replace(" ", ""):
        return "answered", value, f"{who}: \u201c{typed}\u201d is read as \u201c{value}\u201d."
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
# The learner's side: notes in the exercise notebook
# --------------------------------------------------------------------------------------------
NOT_STARTED = (
    "The answer checker hasn't started yet. Choose Run \u25b8 Run All Cells from the menu at "
    "the top of the page, then look here again."
)


@dataclass
class _Checker:
    exercise: str
    formats: dict[str, AnswerFormat]
    policy: dict[str, dict] = field(default_factory=dict)
    records: dict[str, Binding] = field(default_factory=dict)
    shown: dict[str, Binding] = field(default_factory=dict)
    current_cell: str = ""


_checker: _Checker | None = None


def start(
    exercise: str, answers: Mapping[str, str], policy: Mapping[str, Mapping] | None = None
) -> None:
    """Set up the checker for one exercise notebook (its hidden first cell calls this; a check
    that runs first calls it too, with the same arguments read from that cell).

    ``answers`` maps each answer name to its format (``"verdict"``, ``"letter:abc"``...);
    ``policy`` describes the sections of a written policy, for :func:`check_policy`. Answer
    lines the learner ran before this are read back from the kernel's history.
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
    for source in getattr(shell.history_manager, "input_hist_raw", []):
        for binding in bindings(source, _checker.formats):
            _checker.records[binding.name] = binding
    for event, callback in (("pre_run_cell", _before_cell), ("post_run_cell", _after_cell)):
        callbacks = shell.events.callbacks[event]
        for old in [c for c in callbacks if getattr(c, "__name__", "") == callback.__name__]:
            shell.events.unregister(event, old)
        shell.events.register(event, callback)
    transformers = shell.input_transformers_cleanup
    transformers[:] = [t for t in transformers if getattr(t, "__name__", "") != _hold.__name__]
    transformers.append(_hold)
    shell.set_custom_exc((SyntaxError, NameError), _friendly_error)


def check(name: str) -> None:
    """The hidden cell under each answer line: is that answer readable?

    In JupyterLab it adds a note only when the note under the answer line hasn't already said
    the same (for instance when the answer was run before the checker started). While nbgrader
    runs the notebook (Validate), an answer that isn't readable yet goes to stderr, so that
    Validate lists it.
    """
    if not _ensure_started() or _checker is None or name not in _checker.formats:
        _tell(NOT_STARTED, problem=True)
        return
    status, _, message, binding = _state(name)
    if _under_nbgrader():
        if status != "answered":
            _to_stderr(message)
        return
    if status in ("answered", "unreadable") and _checker.shown.get(name) != binding:
        _note(message, problem=status != "answered")
        if binding is not None:
            _checker.shown[name] = binding


def check_all() -> None:
    """List every answer that is unanswered or can't be read, without judging any answer."""
    if not _ensure_started() or _checker is None:
        _note(NOT_STARTED, problem=True)
        return
    results = {name: _state(name) for name in _checker.formats}
    readable = [name for name, (status, *_) in results.items() if status == "answered"]
    todo = [name for name, (status, *_) in results.items() if status in ("unanswered", "missing")]
    unreadable = [message for status, _, message, _ in results.values() if status == "unreadable"]
    total = len(results)
    lines = [f"You have answered {len(readable)} of {total} in a way the marker can read."]
    if todo:
        lines.append("Still to answer: " + ", ".join(label(name) for name in todo) + ".")
    if unreadable:
        lines.append("Can't be read yet:")
        lines.extend("\u2022 " + message for message in unreadable)
    if todo or unreadable:
        lines.append(
            "Typed an answer but it isn't counted here? Choose Run \u25b8 Run All Cells, then "
            "look again."
        )
    else:
        lines.append("Every answer can be read. Save the notebook, then hand it in.")
    lines.append("(This check never says whether an answer is right: your feedback will.)")
    _note("\n".join(lines), problem=bool(todo or unreadable))


def check_policy(notebook: str | os.PathLike | None = None) -> None:
    """Hints about unfinished parts of the written policy, read from the saved notebook."""
    if not _ensure_started() or _checker is None or not _checker.policy:
        _tell(NOT_STARTED, problem=True)
        return
    path = _find_notebook(notebook)
    if path is None:
        _tell(
            "I couldn't find this notebook's saved file. Save it (Ctrl + S), then choose "
            "Run \u25b8 Run All Cells again.",
            problem=True,
        )
        return
    texts = _policy_cells(path, _checker.policy)
    hints = policy_gaps(texts, _checker.policy)
    if hints:
        _tell(
            "Your saved policy: a few sections could say more (this is a hint, not a mark).\n"
            + "\n".join("\u2022 " + hint for hint in hints)
            + "\nSave (Ctrl + S) after editing, then choose Run \u25b8 Run All Cells again.",
            problem=True,
        )
    else:
        _note(
            "Every section of your saved policy has some words in it and touches its topic. "
            "Your assessor will read it against the rubric above."
        )


# --------------------------------------------------------------------------------------------
# How notes are shown
# --------------------------------------------------------------------------------------------
_NOTE_STYLE = (
    "font-family: var(--jp-content-font-family, system-ui, sans-serif); "
    "font-size: var(--jp-content-font-size1, 14px); line-height: 1.5; white-space: normal; "
    "overflow-wrap: break-word; max-width: 52em; margin: 2px 0; padding: 6px 12px; "
    "border-radius: 4px; "
)
_LIST_STYLE = "margin: 0.2em 0 0.4em; padding-left: 1.4em"
_TONES = {
    "info": "background: #eef4f8; color: #1d2f3a; border-left: 4px solid #4a7a96;",
    "todo": "background: #fbf3e4; color: #3a2a0a; border-left: 4px solid #b7791f;",
}


def note_html(message: str, *, problem: bool = False) -> str:
    """A message as a calm, wrapping HTML note (lines starting with a bullet become a list)."""
    tone = "todo" if problem else "info"
    parts: list[str] = []
    items: list[str] = []
    for line in [*message.splitlines(), ""]:
        text = line.strip()
        if text.startswith("\u2022"):
            items.append(f"<li>{html.escape(text[1:].strip())}</li>")
            continue
        if items:
            parts.append(f'<ul style="{_LIST_STYLE}">{"".join(items)}</ul>')
            items = []
        if text:
            parts.append(f'<p style="margin: 0.2em 0">{html.escape(text)}</p>')
    return (
        f'<div class="pwc-answer-note pwc-answer-note--{tone}" '
        f'style="{_NOTE_STYLE}{_TONES[tone]}">{"".join(parts)}</div>'
    )


def _note(message: str, *, problem: bool = False) -> None:
    """Show a message under the running cell as a note: HTML in JupyterLab, plain text else."""
    if _shell() is None:
        print(message)
        return
    from IPython.display import display

    display({"text/plain": message, "text/html": note_html(message, problem=problem)}, raw=True)


def _tell(message: str, *, problem: bool) -> None:
    """A note for the learner; a problem also goes to stderr while nbgrader runs the notebook."""
    if problem and _under_nbgrader():
        _to_stderr(message)
    else:
        _note(message, problem=problem)


def _to_stderr(message: str) -> None:
    lines = [textwrap.fill(line, 78, subsequent_indent="  " if line.startswith("\u2022") else "")
             for line in message.splitlines()]
    print("\n".join(lines), file=sys.stderr)


def _under_nbgrader() -> bool:
    """True while nbgrader runs the notebook (``nbgrader validate``, the Validate button)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the course always has IPython
        return None
    return get_ipython()


# --------------------------------------------------------------------------------------------
# Starting by itself, and what the kernel knows about each answer
# --------------------------------------------------------------------------------------------
def _ensure_started() -> bool:
    """Start the checker from the notebook's own set-up cell if nobody has run it yet."""
    if _checker is not None:
        return True
    for path in _notebook_candidates():
        arguments = _setup_arguments(path)
        if arguments is not None:
            exercise, answers, policy = arguments
            start(exercise, answers, policy)
            return True
    return False


def _notebook_candidates(notebook: str | os.PathLike | None = None) -> list[Path]:
    """Where this kernel's notebook may be saved, most likely first."""
    shell = _shell()
    namespace = shell.user_ns if shell is not None else {}
    names = [notebook, os.environ.get("JPY_SESSION_NAME"), namespace.get("__session__"),
             namespace.get("__vsc_ipynb_file__")]
    if _checker is not None:
        names.append(f"{_checker.exercise}.ipynb")
    candidates: list[Path] = []
    for name in names:
        if name and isinstance(name, str | os.PathLike):
            candidates += [Path(name), Path.cwd() / Path(name).name]
    try:
        nearby = sorted(Path.cwd().glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        nearby = []
    found: list[Path] = []
    for path in [*candidates, *nearby]:
        if path not in found and path.is_file():
            found.append(path)
    return found


def _setup_arguments(path: Path) -> tuple[str, dict, dict | None] | None:
    """The literal arguments of the ``start(...)`` call in a notebook's cells (nothing is run)."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if "start(" not in source:
            continue
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        for statement in tree.body:
            call = statement.value if isinstance(statement, ast.Expr) else None
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id == "start"):
                continue
            try:
                args = [ast.literal_eval(arg) for arg in call.args]
                kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}
            except ValueError:
                continue
            if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], dict):
                policy = args[2] if len(args) > 2 else kwargs.get("policy")
                return args[0], args[1], policy if isinstance(policy, dict) else None
    return None


def _state(name: str) -> tuple[str, str | None, str, Binding | None]:
    """``read_status`` of an answer as the kernel knows it, with the binding it was read from."""
    assert _checker is not None
    binding = _checker.records.get(name)
    if binding is None:
        shell = _shell()
        namespace = shell.user_ns if shell is not None else {}
        if name in namespace:
            value = namespace[name]
            binding = Binding(name, value if type(value) is str else None, None)
    return (*read_status(name, _checker.formats[name], binding), binding)


def _answer_names_in(source: str) -> list[str]:
    if _checker is None:
        return []
    return [b.name for b in bindings(source, _checker.formats)]


def _hold(lines: list[str]) -> list[str]:
    """An answer cell whose line can't be read is not run, so nothing fails and Run All goes on;
    the note under it explains. (Other cells run as usual.)"""
    if _checker is None:
        return lines
    source = "".join(lines)
    found = bindings(source, _checker.formats)
    if not found:
        return lines
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return ["pass\n"]  # it could not run anyway
    only_answers = all(
        isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
        and s.targets[0].id in _checker.formats
        for s in tree.body
    )
    if only_answers and any(b.raw is None for b in found):
        return ["pass\n"]
    return lines


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
        if status == "answered" or (status == "unreadable" and not explained):
            _note(message, problem=status != "answered")
        if status in ("answered", "unreadable"):
            _checker.shown[name] = binding


def _friendly_error(shell, etype, value, tb, tb_offset=None) -> None:
    """Errors in a cell with an answer line (one the checker didn't hold back because it has
    other code in it) get one plain sentence; any other cell keeps its usual message."""
    names = _answer_names_in(_checker.current_cell) if _checker is not None else []
    if names and _checker is not None and issubclass(etype, SyntaxError | NameError):
        fmt = _checker.formats[names[-1]]
        problem = "syntax" if issubclass(etype, SyntaxError) else "not-text"
        message = read_status(names[-1], fmt, Binding(names[-1], None, problem))[2]
        shell._showtraceback(etype, value, [message])
    elif issubclass(etype, SyntaxError):
        shell.showsyntaxerror()
    else:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)


def _find_notebook(notebook: str | os.PathLike | None) -> Path | None:
    """The saved notebook holding the policy (the newest nearby one when unsure)."""
    assert _checker is not None
    for path in _notebook_candidates(notebook):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if any(key in text for key in _checker.policy):
            return path
    return None


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
