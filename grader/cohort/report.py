"""The trainer's report: how the group did, item by item, what they misunderstood, what to check.

Written for someone who has never used pandas: every number is explained in a sentence next to
it, plots are embedded as images (with text alternatives), and nothing needs a network.
"""

from __future__ import annotations

import base64
import io
import math

import pandas as pd

from grader.render import environment, framework_names, points

from . import stats


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight",
                   metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class ReportError(RuntimeError):
    """The report cannot be drawn (the plotting library is not installed)."""


def _plots(distribution: pd.Series, table: pd.DataFrame, labels: dict[str, str]) -> dict:
    try:
        import matplotlib
    except ImportError:
        raise ReportError(
            "The trainer's report needs matplotlib, which an assessor's install includes: "
            "pip install 'posting-with-care[assessor]'.") from None

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams.update({"font.size": 10, "svg.hashsalt": "cohort"})
    figure, axis = plt.subplots(figsize=(7, 3.2))
    axis.bar(distribution.index, distribution.values, color="#3b6ea5", width=0.8)
    axis.set_xlabel("Score (points)")
    axis.set_ylabel("Learners")
    step = tick_step(len(distribution))
    axis.set_xticks([x for x in distribution.index if x % step == 0])
    axis.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    axis.spines[["top", "right"]].set_visible(False)
    histogram = _png(figure)
    plt.close(figure)

    shown = table.dropna(subset=["facility"])
    height = max(2.5, 0.28 * len(shown) + 1)
    figure, axis = plt.subplots(figsize=(7, height))
    colours = ["#b23b3b" if f in ("too hard",) else "#c98a1b" if f.startswith("ambiguous")
               else "#7a9c3b" if f == "too easy" else "#3b6ea5" for f in shown["flag"]]
    names = [labels.get(i, i) for i in shown["item"]]
    axis.barh(names[::-1], list(shown["facility"] * 100)[::-1], color=colours[::-1])
    for x in (stats.TOO_HARD * 100, stats.TOO_EASY * 100):
        axis.axvline(x, color="#777", linestyle="--", linewidth=0.8)
    axis.set_xlim(0, 100)
    axis.set_xlabel("Learners who got it right (%)")
    axis.spines[["top", "right"]].set_visible(False)
    facility = _png(figure)
    plt.close(figure)
    return {"histogram": histogram, "facility": facility}


#: At most this many score labels under the chart, so that they never run together.
MAX_TICKS = 12


def tick_step(scores: int) -> int:
    """Label every score, or every 2nd, 5th, 10th… so that at most :data:`MAX_TICKS` show."""
    step = 1
    for step in (1, 2, 5, 10, 20, 50, 100):
        if math.ceil(scores / step) <= MAX_TICKS:
            break
    return step


NO_RULE = "(none)"


def _rule_key(item) -> str | None:
    """The item's rule; acceptable posts (a verdict with no rule broken) form their own group,
    where wrong answers mean over-caution rather than a missed risk."""
    if item is None:
        return None
    if item.rule is None and item.kind == "verdict":
        return NO_RULE
    return item.rule


def build(rows: list, exercise, context: dict) -> str:
    """The HTML report for ``rows`` (learner outcomes), with run ``context``; scores are out of
    the exercise's total points."""
    rules, principles = framework_names()
    by_id = {i.id: i for i in exercise.items}
    order = [i.id for i in exercise.auto_items]
    labels = {i.id: i.label for i in exercise.items}
    graded = [r for r in rows if r.graded]
    records = [{"learner": r.public_id, "item": i.item_id, "points": i.points,
                "max_points": i.max_points, "correct": i.correct, "value": i.value,
                "rule": _rule_key(by_id.get(i.item_id)),
                "principle": by_id[i.item_id].principle if i.item_id in by_id else None}
               for r in graded for i in r.items if not i.manual]
    answers = pd.DataFrame(records, columns=["learner", "item", "points", "max_points",
                                             "correct", "value", "rule", "principle"])
    scores = pd.Series([r.raw_score for r in graded], dtype=float)  # before late penalties
    summary = stats.summary(scores, exercise.max_score)
    distribution = stats.distribution(scores, exercise.max_score)
    table = stats.item_table(answers, order) if len(answers) else pd.DataFrame(
        columns=["item", "n", "facility", "discrimination", "flag"])
    wrong = stats.common_wrong_answers(answers) if len(answers) else pd.DataFrame(
        columns=["item", "answer", "count"])
    wrong_by_item = {r.item: (r.answer, int(r.count)) for r in wrong.itertuples()}
    item_rows = []
    for r in table.itertuples():
        common = wrong_by_item.get(r.item)
        item_rows.append({
            "label": labels.get(r.item, r.item), "n": r.n, "facility": r.facility,
            "discrimination": r.discrimination, "flag": r.flag,
            "rule": rules.get(by_id[r.item].rule or "", "") if r.item in by_id else "",
            "principle": principles.get(by_id[r.item].principle or "", "")
            if r.item in by_id else "",
            "common_wrong": f"“{common[0]}” ({common[1]})" if common else "",
        })
    groups = {}
    rules = {**rules, NO_RULE: "No rule broken (posts that were fine to share)"}
    for key, names in (("rule", rules), ("principle", principles)):
        frame = stats.misconceptions(answers, key) if len(answers) else pd.DataFrame()
        groups[key] = [{"name": names.get(g[key], g[key]), "item_count": g["items"],
                        "answers": g["answers"], "wrong": g["wrong"],
                        "share_wrong": g["share_wrong"],
                        "hardest": labels.get(g["hardest_item"], g["hardest_item"]),
                        "hardest_share": g["hardest_share_wrong"]}
                       for g in frame.to_dict("records")]
    plots = _plots(distribution, table, labels) if graded else {}
    flagged = {flag: [row["label"] for row in item_rows if row["flag"].startswith(flag)]
               for flag in ("too easy", "too hard", "ambiguous")}
    return environment().get_template("report.html.j2").render(
        exercise=exercise, max_score=points(exercise.max_score), summary=summary,
        distribution=[(int(k), int(v)) for k, v in distribution.items()],
        reliability=stats.kr20(answers, order) if len(answers) else math.nan,
        items=item_rows, groups=groups, plots=plots, flagged=flagged,
        thresholds={"easy": stats.TOO_EASY, "hard": stats.TOO_HARD,
                    "low": stats.LOW_DISCRIMINATION},
        few=summary["n"] < stats.FEW_LEARNERS, rows=rows, fmt=points, **context)
