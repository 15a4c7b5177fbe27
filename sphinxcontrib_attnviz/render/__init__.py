"""One fragment writer per output format; each takes a :class:`~..visualization.Visualization`."""

from __future__ import annotations


def format_score(score: float) -> str:
    """A score as every output shows it: 4 significant digits."""
    return f"{score:#.4g}"


def format_bound(value: float) -> str:
    """A scale bound (legend label): short, as written by a person."""
    return f"{value:.4g}"
