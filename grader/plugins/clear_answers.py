"""Release step: each answer line of a solution cell becomes ``name = "?"``.

nbgrader's ``ClearSolutions`` has one code stub per language (``raise NotImplementedError``);
this subclass blanks each answer line of a code solution cell instead, so the learner sees
``post_07 = "?"`` and types between the quotes. Any other solution cell (written answers, or
an instructor's own code exercise) keeps nbgrader's behaviour: its ``BEGIN/END SOLUTION``
region becomes ``ClearSolutions.text_stub`` or ``code_stub``.
"""

from __future__ import annotations

import re

from nbgrader import utils
from nbgrader.preprocessors import ClearSolutions

from course.answer_language import bindings

_LINE = re.compile(r"""^(\s*)([A-Za-z_]\w*)\s*=\s*(["']).*\3\s*(#.*)?$""")


def blank_answer_lines(source: str) -> str | None:
    """``post_07 = "not acceptable"`` -> ``post_07 = "?"``; None if the cell is not answer lines."""
    lines, answers = [], 0
    for line in source.splitlines():
        match = _LINE.match(line)
        found = bindings(line.strip()) if match else []
        if match and found and found[0].raw is not None:
            lines.append(f'{match[1]}{match[2]} = "?"')
            answers += 1
        elif not line.strip() or line.lstrip().startswith("#"):
            lines.append(line)
        else:
            return None
    return "\n".join(lines) if answers else None


class ClearAnswers(ClearSolutions):
    """``ClearSolutions`` with per-line stubs for answer cells."""

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code" and utils.is_solution(cell):
            blanked = blank_answer_lines(cell.source)
            if blanked is not None:
                cell.source = blanked
                return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)
