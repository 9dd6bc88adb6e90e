"""The learner's answer checker, run in the exercise notebook's kernel.

Released (and already submitted) notebooks import it by this name: their hidden set-up cell
runs ``from course.answers import check, check_all, check_policy, start``. The answer language
itself (formats, normalising, reading an answer line, read status, policy sections) is
:mod:`course.answer_language`; this module is the thin IPython layer on top of it:
:func:`start`, :func:`check`, :func:`check_all` and :func:`check_policy`. Their messages say
whether an answer *can be read*, never whether it is right. The checker starts itself from the
notebook's set-up cell when a check runs first, shows each message once as a calm note (never
as an error), and reports problems on stderr only while nbgrader runs the notebook (the
learner's Validate button), so Validate can list them.

The language's names are re-exported here for code written against the old single module.
"""

from __future__ import annotations

import ast
import html
import json
import os
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from course.answer_language import (  # noqa: F401 - re-exported for older imports
    POLICY_MIN_WORDS,
    POLICY_STUB,
    STATUSES,
    UNANSWERED,
    VERDICT_SYNONYMS,
    VERDICTS,
    AnswerFormat,
    Binding,
    Reading,
    Status,
    bindings,
    example_line,
    is_blank,
    label,
    normalise,
    policy_gaps,
    policy_text,
    read_status,
)

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
        if isinstance(grade_id, str) and grade_id in spec and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            texts[grade_id] = "".join(source) if isinstance(source, list) else str(source)
    return texts
