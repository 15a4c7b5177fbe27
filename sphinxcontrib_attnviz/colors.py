"""Colormap lookup, hex colours and readable text colours (WCAG 2.x contrast).

matplotlib is imported on first use only, so a docs build that enables the
extension but draws nothing does not pay for it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from .errors import OptionError

if TYPE_CHECKING:
    from matplotlib.colors import Colormap

BLACK = "#000000"
WHITE = "#ffffff"
#: WCAG 2.x's minimum contrast ratio for normal text (level AA).
MIN_CONTRAST = 4.5


def colormap(name: str) -> Colormap:
    """The colormap registered in matplotlib under ``name`` (``_r`` variants included)."""
    from matplotlib import colormaps

    try:
        return colormaps[name]
    except KeyError:
        raise OptionError(unknown_colormap_message(name, list(colormaps))) from None


def unknown_colormap_message(name: str, known: list[str]) -> str:
    """Say that ``name`` is no colormap and suggest the closest known names."""
    lowered = {known_name.lower(): known_name for known_name in known}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(lowered[match]) for match in close)}?" if close else ""
    return f"unknown colormap {name!r}{hint} (any name in matplotlib.colormaps works)"


@dataclass(frozen=True)
class Palette:
    """A colormap's lookup table as hex colours, with the text colour for each entry."""

    backgrounds: tuple[str, ...]
    foregrounds: tuple[str, ...]


@cache
def palette(name: str) -> Palette:
    """Every colour the colormap named ``name`` can give, in lookup-table order."""
    cmap = colormap(name)
    rgb = rgb_bytes(np.arange(cmap.N), cmap)  # integer input: the table's entries themselves
    return Palette(tuple(hex_colors(rgb)), tuple(text_colors(rgb)))


def palette_index(positions: np.ndarray, size: int) -> np.ndarray:
    """The lookup-table entry of each position in [0, 1], as ``Colormap.__call__`` picks it
    (``int(x * N)``, with 1.0 taking the last entry): colour = palette entry, hex for hex."""
    scaled = positions * size
    scaled[scaled == size] = size - 1
    return scaled.astype(np.intp)


def rgb_bytes(positions: np.ndarray, cmap: Colormap) -> np.ndarray:
    """An (N, 3) uint8 array: the colormap at ``positions``, rounded as ``to_hex`` rounds."""
    rgba = np.asarray(cmap(positions), dtype=np.float64).reshape(-1, 4)
    return np.round(rgba[:, :3] * 255).astype(np.uint8)


def hex_colors(rgb: np.ndarray) -> list[str]:
    """``#rrggbb`` strings of an (N, 3) uint8 array."""
    packed = (rgb[:, 0].astype(np.uint32) << 16) | (rgb[:, 1].astype(np.uint32) << 8) | rgb[:, 2]
    return [f"#{value:06x}" for value in packed.tolist()]


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG 2.x relative luminance of each row of an (N, 3) uint8 array."""
    channel = rgb.astype(np.float64) / 255.0
    linear = np.where(channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(luminance_a: np.ndarray | float, luminance_b: np.ndarray | float) -> np.ndarray:
    """WCAG 2.x contrast ratio between two relative luminances (1 to 21)."""
    lighter = np.maximum(luminance_a, luminance_b)
    darker = np.minimum(luminance_a, luminance_b)
    return (lighter + 0.05) / (darker + 0.05)


def text_colors(rgb: np.ndarray) -> list[str]:
    """Black or white for each background, whichever contrasts more with it.

    The better of the two always reaches at least 4.58:1, above WCAG's 4.5:1.
    """
    luminance = relative_luminance(rgb)
    black_wins = contrast_ratio(luminance, 0.0) >= contrast_ratio(luminance, 1.0)
    return [BLACK if wins else WHITE for wins in black_wins.tolist()]
