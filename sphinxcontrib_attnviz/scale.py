"""Map scores to positions in [0, 1] on a colormap.

Three kinds of scale:

- widened (the original script's, the default): ``[min - off, max + off]`` with
  ``off = |mean| * alpha``, so the extremes do not take the colormap's ends. (The
  original used the signed mean, which narrows or inverts the range for negative
  scores; with ``|mean|`` nothing changes whenever the mean is >= 0.)
- fixed: ``vmin`` and/or ``vmax`` given; no widening.
- centred on ``c`` (diverging): ``[c - M, c + M]`` with ``M = max|s - c| + alpha * mean|s - c|``,
  so a score equal to ``c`` sits at exactly 0.5 and ``c - x`` and ``c + x`` mirror each other.

Scores outside the range are clipped to its ends, and flagged so renderers can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import DataError, OptionError
from .options import VizOptions


@dataclass(frozen=True)
class ColourScale:
    """The score interval that spans the colormap from 0 to 1, and its centre if diverging."""

    vmin: float
    vmax: float
    center: float | None = None
    #: How far the range reaches past the scores (at each end; centred: past the score
    #: farthest from the centre), in score units: the widening by ``alpha``; 0 when fixed.
    widening: float = 0.0

    def positions(self, scores: np.ndarray) -> np.ndarray:
        """Unclipped positions of ``scores``. Off-centre: exactly as
        ``matplotlib.colors.Normalize(vmin, vmax)`` computes them (0 where vmin == vmax)."""
        if self.center is not None:
            half_width = (self.vmax - self.vmin) / 2
            if half_width == 0:
                return np.full_like(scores, 0.5, dtype=np.float64)
            return 0.5 + (scores - self.center) / (2 * half_width)
        if self.vmin == self.vmax:
            return np.zeros_like(scores, dtype=np.float64)
        return (scores - self.vmin) / (self.vmax - self.vmin)


def choose_scale(scores: np.ndarray, options: VizOptions) -> ColourScale:
    """The scale ``options`` ask for, fitted to ``scores`` (those that set the range)."""
    if options.center is not None:
        return centred_range(scores, options.center, options.alpha)
    if options.vmin is not None or options.vmax is not None:
        vmin = options.vmin if options.vmin is not None else float(scores.min())
        vmax = options.vmax if options.vmax is not None else float(scores.max())
        if vmin >= vmax:
            raise OptionError(f"the colour range is empty: vmin {vmin:g} is not below vmax {vmax:g}")
        if not np.isfinite(vmax - vmin):
            raise OptionError(f"the colour range overflows: vmax {vmax:g} - vmin {vmin:g} is beyond the float range")
        return ColourScale(vmin, vmax)
    return widened_range(scores, options.alpha)


def widened_range(scores: np.ndarray, alpha: float) -> ColourScale:
    """The original's range: min and max pushed apart by ``|mean| * alpha``."""
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing mean is reported below
        offset = abs(float(np.mean(scores))) * alpha
    return _finite(ColourScale(float(scores.min()) - offset, float(scores.max()) + offset, None, offset), scores, alpha)


def centred_range(scores: np.ndarray, center: float, alpha: float) -> ColourScale:
    """The symmetric range around ``center`` described in the module docstring."""
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below
        distance = np.abs(scores - center)
        widening = alpha * float(distance.mean())
    half_width = float(distance.max()) + widening
    return _finite(ColourScale(center - half_width, center + half_width, center, widening), scores, alpha)


def _finite(scale: ColourScale, scores: np.ndarray, alpha: float) -> ColourScale:
    if not np.isfinite(scale.vmax - scale.vmin):
        raise DataError(
            f"the colour range overflows (scores from {scores.min():g} to {scores.max():g}, alpha {alpha:g}); "
            "rescale the scores or lower alpha"
        )
    return scale
