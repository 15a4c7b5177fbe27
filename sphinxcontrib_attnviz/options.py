"""Defaults and checks for the options every front shares (directive, CLI, API)."""

from __future__ import annotations

import math

from .errors import OptionError

DEFAULT_CMAP = "BuGn"
DEFAULT_ALPHA = 1.0


def parse_alpha(value: str | float) -> float:
    """A finite alpha >= 0 from a number or its text."""
    try:
        alpha = float(value)
    except (TypeError, ValueError):
        raise OptionError(f"alpha must be a number >= 0, not {value!r}") from None
    if not math.isfinite(alpha) or alpha < 0:
        raise OptionError(f"alpha must be a finite number >= 0, not {value!r}")
    return alpha
