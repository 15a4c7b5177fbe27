"""From tokens and scores to coloured tokens: the one pipeline every front calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import colors
from .data import TokenScores
from .options import DEFAULT_ALPHA, DEFAULT_CMAP, parse_alpha
from .scale import widened_range


@dataclass(frozen=True)
class Visualization:
    """Everything a renderer needs: each token with its score and colours, and the scale."""

    tokens: tuple[str, ...]
    scores: tuple[float, ...]
    backgrounds: tuple[str, ...]
    foregrounds: tuple[str, ...]
    cmap: str
    vmin: float
    vmax: float


def visualize(data: TokenScores, cmap: str = DEFAULT_CMAP, alpha: float = DEFAULT_ALPHA) -> Visualization:
    """Colour ``data`` with the colormap named ``cmap``, the range widened by ``alpha``.

    Raises OptionError for an unknown colormap or a bad alpha.
    """
    colormap = colors.colormap(cmap)
    scores = np.asarray(data.scores, dtype=np.float64)
    colour_range = widened_range(scores, parse_alpha(alpha))
    rgb = colors.rgb_bytes(colour_range.positions(scores), colormap)
    return Visualization(
        tokens=data.tokens,
        scores=data.scores,
        backgrounds=tuple(colors.hex_colors(rgb)),
        foregrounds=tuple(colors.text_colors(rgb)),
        cmap=cmap,
        vmin=colour_range.vmin,
        vmax=colour_range.vmax,
    )


def visualize_lists(
    tokens: Sequence[str], scores: Sequence[float], cmap: str = DEFAULT_CMAP, alpha: float = DEFAULT_ALPHA
) -> Visualization:
    """:func:`visualize` for in-memory tokens and scores, checked first."""
    return visualize(TokenScores.checked(tokens, scores), cmap, alpha)
