"""One fragment writer per output format; each takes a :class:`~..visualization.Visualization`.

Scores are shown with 4 significant digits everywhere (``format(score, "#.4g")``);
:func:`format_scores` gives exactly those strings for a whole array at once. A missing
score (NaN) is shown as an em dash, :data:`MISSING_SCORE`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from ..aggregate import describe as describe_aggregation

if TYPE_CHECKING:
    from ..visualization import Legend

SCORE_FORMAT = "#.4g"
#: What every output shows for a missing score (a cell with none: NaN).
MISSING_SCORE = "\u2014"
#: Exponents that "#.4g" writes in positional notation (0.0001234 ... 1234.).
_POSITIONAL = range(-4, 4)
_MANTISSAS = range(1000, 10000)


def format_score(score: float) -> str:
    """A score as every output shows it: 4 significant digits (a missing one: an em dash)."""
    return MISSING_SCORE if score != score else format(score, SCORE_FORMAT)


def format_bound(value: float) -> str:
    """A scale bound (legend label): short, as written by a person."""
    return f"{value:.4g}"


def legend_notes(legend: Legend) -> tuple[str, ...]:
    """What every legend says after the colormap's name and centre, in words: how far the
    range reaches past the scores (the original script's widening by ``alpha``), and the
    subword scheme ``auto`` found."""
    notes = []
    if legend.aggregation is not None:
        notes.append(describe_aggregation(legend.aggregation))
    if legend.normalization is not None:
        notes.append(legend.normalization.describe())
    scale = legend.scale
    if scale.widening > 0:
        low, high = legend.score_range
        reach = (
            f"reaches alpha ({legend.alpha:g}) times their mean distance from the centre past the farthest"
            if scale.center is not None
            else f"adds alpha ({legend.alpha:g}) times their |mean| at each end"
        )
        notes.append(f"the scores span {format_bound(low)} to {format_bound(high)}; the range {reach}")
    if legend.scheme_note:
        notes.append(legend.scheme_note)
    return tuple(notes)


def format_scores(scores: np.ndarray) -> list[str]:
    """``[format_score(s) for s in scores]``, string for string, without formatting each one.

    Each score's 4 significant digits and exponent are found with array arithmetic and
    its text taken from a table; the few scores the arithmetic cannot settle for
    certain (near a rounding tie or a power of ten, zero, exponents outside -4..3) are
    formatted one by one.
    """
    values = np.asarray(scores, dtype=np.float64)
    magnitude = np.abs(values)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        exponent = np.floor(np.log10(magnitude))
        scaled = magnitude / 10.0 ** (exponent - 3)
        fraction = scaled - np.floor(scaled)
        settled = (
            (exponent >= _POSITIONAL.start)
            & (exponent < _POSITIONAL.stop)
            & (scaled >= 1000.0)
            & (scaled < 9999.49)
            & (np.abs(fraction - 0.5) > 1e-6)
        )
    mantissa = np.floor(scaled[settled] + 0.5).astype(np.intp)
    row = np.signbit(values[settled]) * len(_POSITIONAL) + exponent[settled].astype(np.intp) - _POSITIONAL.start
    texts = np.empty(len(values), dtype=object)
    texts[settled] = _positional_table()[row, mantissa - _MANTISSAS.start]
    unsettled = np.flatnonzero(~settled)
    texts[unsettled] = [format_score(value) for value in values[unsettled].tolist()]
    return texts.tolist()


@cache
def _positional_table() -> np.ndarray:
    """Text of every 4-digit mantissa at every positional exponent, positive then negative."""
    rows = []
    for sign in ("", "-"):
        for exponent in _POSITIONAL:
            if exponent >= 0:
                row = [f"{sign}{m // 10 ** (3 - exponent)}.{str(m)[exponent + 1 :]}" for m in _MANTISSAS]
            else:
                row = [f"{sign}0.{'0' * (-exponent - 1)}{m}" for m in _MANTISSAS]
            rows.append(row)
    return np.array(rows, dtype=object)
