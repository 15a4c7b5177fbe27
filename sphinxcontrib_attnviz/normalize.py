"""Stated normalisation: scores divided (or standardised) as the ``normalize`` option says,
per row or over the whole figure, so a figure says what it shows.

Attribution tools each apply their own normalisation without a word (transformers-interpret
the L2 norm, ferret the L1 norm, inseq each step's column sum, Captum none with a fixed ±1
clip), so the same scores look different in each. Here it is a choice, ``none`` by
default, that the legend and the tooltips state. With ``s`` the scores of a row (or of
the figure), missing cells (NaN) left out and left missing:

- ``max-abs``: ``s / max|s|``, into [-1, 1];
- ``l1``: ``s / sum|s|`` (ferret's);
- ``l2``: ``s / sqrt(sum s**2)`` (transformers-interpret's);
- ``sum``: ``s / |sum(s)|``, the shares of a total (inseq's per-step normalisation when
  the scores are non-negative); only for scores of one sign (a DataError otherwise: the
  sum of mixed signs is no total, and would flip or blow up the scores; ``l1`` is then
  the total);
- ``zscore``: ``(s - mean(s)) / std(s)``, the population standard deviation.

Scores whose divisor is 0 (all zero; all equal for ``zscore``) are left as they are, and
the legend says so. Tokens left out of the colour scale (``scale-ignore``) still count in
the divisor: they are scores of the row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import DataError

#: The ``normalize`` option's values.
NORMALIZATIONS = ("none", "max-abs", "l1", "l2", "sum", "zscore")
#: The ``normalize-over`` option's values: each row on its own, or all rows together.
NORMALIZE_OVER = ("row", "figure")
_WORDS = {
    "max-abs": "divided by their largest absolute value",
    "l1": "divided by the sum of their absolute values (L1)",
    "l2": "divided by their Euclidean norm (L2)",
    "sum": "divided by their sum",
    "zscore": "standardised (z-score: minus their mean, divided by their standard deviation)",
}


@dataclass(frozen=True)
class Normalization:
    """What was done to the scores: ``method`` over ``over``; ``unchanged`` counts the rows
    (or the figure) whose divisor was 0 and were left as they are."""

    method: str
    over: str
    unchanged: int = 0

    def describe(self) -> str:
        """In words, for the legend: ``scores divided by their sum, per row``."""
        where = "per row" if self.over == "row" else "over the whole figure"
        text = f"scores {_WORDS[self.method]}, {where}"
        if self.unchanged:
            what = "row" if self.over == "row" else "figure"
            text += f" ({self.unchanged} {what}{'s' if self.unchanged > 1 else ''} left as given: the divisor is 0)"
        return text


def normalize(
    matrix: np.ndarray, method: str, over: str = "row", labels: list[str | None] | None = None
) -> tuple[np.ndarray, Normalization | None]:
    """``matrix`` (rows x tokens, float64, NaN for missing cells) normalised by ``method``
    (one of :data:`NORMALIZATIONS`) per row or over the figure (:data:`NORMALIZE_OVER`), in
    the same shape, and what was done (None for ``none``). ``labels`` name the rows for
    messages. Raises DataError for ``sum`` over scores of both signs."""
    if method == "none":
        return matrix, None
    labels = labels if labels is not None else [None] * len(matrix)
    groups = [matrix] if over == "figure" else list(matrix)
    names = ["the figure"] if over == "figure" else [f"row {label!r}" if label else "the row" for label in labels]
    unchanged = 0
    results = []
    for scores, name in zip(groups, names, strict=True):
        result, changed = _normalized(scores, method, name)
        unchanged += not changed
        results.append(result)
    normalised = results[0] if over == "figure" else np.array(results, dtype=np.float64).reshape(matrix.shape)
    return normalised, Normalization(method, over, unchanged)


def _normalized(scores: np.ndarray, method: str, name: str) -> tuple[np.ndarray, bool]:
    """``scores`` normalised, and whether they were (False when the divisor is 0 or no score is present)."""
    present = scores[~np.isnan(scores)]
    if not present.size:
        return scores, False
    shift = 0.0
    largest = float(np.max(np.abs(present)))
    if method == "max-abs":
        divisor = largest
    elif method == "l1":
        divisor = float(np.sum(np.abs(present)))
    elif method == "l2":  # scaled by the largest first, so that squares neither overflow nor vanish
        divisor = largest * float(np.sqrt(np.sum((present / largest) ** 2))) if largest else 0.0
    elif method == "sum":
        if present.min() < 0 < present.max():
            raise DataError(
                f"normalize sum: {name} has scores of both signs, whose sum is no total "
                "(it would flip or blow up the scores); normalize l1 divides by the total of their sizes"
            )
        divisor = abs(float(np.sum(present)))
    else:  # zscore
        shift, divisor = float(np.mean(present)), float(np.std(present))
    if divisor == 0 or not np.isfinite(divisor):
        return scores, False
    return (scores - shift) / divisor, True
