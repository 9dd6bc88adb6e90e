"""Item analysis in the classical way, on graded learners only.

- **Facility** of an item: the average share of its points that learners earned (for a 1-point
  item, the share of learners who got it right).
- **Discrimination**: the corrected point-biserial correlation, i.e. the correlation between the
  item's score and each learner's score on the *other* items. Near 0: the item does not separate
  stronger from weaker learners; negative: stronger learners did worse on it than weaker ones.
- Flags: too easy (facility > 0.9), too hard (facility < 0.3), check the wording
  (discrimination < 0.2, or negative).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

TOO_EASY = 0.9
TOO_HARD = 0.3
LOW_DISCRIMINATION = 0.2
FEW_LEARNERS = 20


def item_table(items: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """One row per item: n, facility, discrimination, flag.

    ``items`` has columns learner, item, points, max_points (graded learners only).
    """
    scores = items.pivot_table(index="learner", columns="item", values="points",
                               aggfunc="sum").reindex(columns=order).fillna(0.0)
    maxima = items.groupby("item")["max_points"].max().reindex(order).fillna(0.0)
    totals = scores.sum(axis=1)
    rows = []
    for item in order:
        column = scores[item] if item in scores else pd.Series(dtype=float)
        n = int(column.count())
        top = float(maxima.get(item, 0.0))
        facility = float(column.mean() / top) if n and top else math.nan
        discrimination = corrected_point_biserial(column, totals - column) if n else math.nan
        rows.append({"item": item, "n": n, "facility": facility,
                     "discrimination": discrimination,
                     "flag": flag(facility, discrimination)})
    return pd.DataFrame(rows, columns=["item", "n", "facility", "discrimination", "flag"])


def corrected_point_biserial(item: pd.Series, rest: pd.Series) -> float:
    """Pearson correlation of the item with the rest score; NaN if either does not vary."""
    x = np.asarray(item, dtype=float)
    y = np.asarray(rest, dtype=float)
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return math.nan
    return float(np.corrcoef(x, y)[0, 1])


def flag(facility: float, discrimination: float) -> str:
    """The review flag for an item, in one or two words."""
    if math.isnan(facility):
        return ""
    if facility > TOO_EASY:
        return "too easy"
    if facility < TOO_HARD:
        return "too hard"
    if not math.isnan(discrimination) and discrimination < 0:
        return "ambiguous (negative)"
    if not math.isnan(discrimination) and discrimination < LOW_DISCRIMINATION:
        return "ambiguous (low)"
    return ""


def summary(scores: pd.Series, max_score: float) -> dict[str, float]:
    """Count, mean, median, standard deviation, lowest and highest score (points)."""
    values = scores.astype(float)
    n = int(values.count())
    return {
        "n": n,
        "mean": float(values.mean()) if n else math.nan,
        "median": float(values.median()) if n else math.nan,
        "sd": float(values.std(ddof=0)) if n else math.nan,
        "min": float(values.min()) if n else math.nan,
        "max": float(values.max()) if n else math.nan,
        "mean_percent": float(values.mean() / max_score * 100) if n and max_score else math.nan,
    }


def distribution(scores: pd.Series, max_score: float) -> pd.Series:
    """How many learners got each whole score from 0 to the maximum."""
    top = int(math.ceil(max_score))
    rounded = np.floor(scores.astype(float)).astype(int).clip(0, top)
    return rounded.value_counts().reindex(range(top + 1), fill_value=0).sort_index()


def kr20(items: pd.DataFrame, order: list[str]) -> float:
    """Reliability of the whole exercise (KR-20 / Cronbach's alpha on item scores)."""
    scores = items.pivot_table(index="learner", columns="item", values="points",
                               aggfunc="sum").reindex(columns=order).fillna(0.0)
    k = scores.shape[1]
    if k < 2 or len(scores) < 2:
        return math.nan
    total_var = scores.sum(axis=1).var(ddof=0)
    if total_var == 0:
        return math.nan
    return float(k / (k - 1) * (1 - scores.var(ddof=0).sum() / total_var))


def misconceptions(answers: pd.DataFrame, by: str) -> pd.DataFrame:
    """Wrong answers grouped by ``by`` ('rule' or 'principle').

    ``answers`` has columns learner, item, correct, value, rule, principle. Returns one row per
    group: items, answers, wrong, share_wrong, hardest item and its share wrong.
    """
    data = answers.dropna(subset=[by])
    rows = []
    for key, group in data.groupby(by, sort=True):
        per_item = group.groupby("item")["correct"].apply(lambda s: 1 - s.mean())
        hardest = per_item.idxmax() if len(per_item) else ""
        wrong = int((~group["correct"].astype(bool)).sum())
        rows.append({by: key, "items": int(group["item"].nunique()), "answers": len(group),
                     "wrong": wrong, "share_wrong": wrong / len(group) if len(group) else 0.0,
                     "hardest_item": hardest,
                     "hardest_share_wrong": float(per_item.max()) if len(per_item) else 0.0})
    frame = pd.DataFrame(rows, columns=[by, "items", "answers", "wrong", "share_wrong",
                                        "hardest_item", "hardest_share_wrong"])
    return frame.sort_values(["share_wrong", by], ascending=[False, True]).reset_index(drop=True)


def common_wrong_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Per item, the commonest wrong answer and how many gave it."""
    wrong = answers[~answers["correct"].astype(bool) & answers["value"].notna()]
    if wrong.empty:
        return pd.DataFrame(columns=["item", "answer", "count"])
    counts = wrong.groupby(["item", "value"]).size().reset_index(name="count")
    counts = counts.sort_values(["item", "count", "value"], ascending=[True, False, True])
    top = counts.groupby("item").head(1).rename(columns={"value": "answer"})
    return top.reset_index(drop=True)
