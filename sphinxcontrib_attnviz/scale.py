"""Map scores to positions on a colormap, as the original script did.

The colour range is ``[min - off, max + off]`` with ``off = |mean| * alpha``: alpha
widens the range so the extremes do not take the colormap's darkest and lightest
ends. (The original used the signed mean, which narrows or inverts the range for
negative scores; with ``|mean|`` nothing changes whenever the mean is >= 0.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import DataError


@dataclass(frozen=True)
class ColourRange:
    """The score interval that spans the colormap from 0 to 1."""

    vmin: float
    vmax: float

    def positions(self, scores: np.ndarray) -> np.ndarray:
        """Positions of ``scores`` on the colormap, computed exactly as
        ``matplotlib.colors.Normalize(vmin, vmax)`` does (0 everywhere when vmin == vmax)."""
        if self.vmin == self.vmax:
            return np.zeros_like(scores, dtype=np.float64)
        return (scores - self.vmin) / (self.vmax - self.vmin)


def widened_range(scores: Sequence[float] | np.ndarray, alpha: float) -> ColourRange:
    """The original's range: min and max of ``scores`` pushed apart by ``|mean| * alpha``."""
    values = np.asarray(scores, dtype=np.float64)
    offset = abs(float(np.mean(values))) * alpha
    vmin, vmax = float(values.min()) - offset, float(values.max()) + offset
    if not np.isfinite(vmax - vmin):
        raise DataError(
            f"the colour range overflows (scores from {values.min():g} to {values.max():g}, alpha {alpha:g}); "
            "rescale the scores or lower alpha"
        )
    return ColourRange(vmin, vmax)
