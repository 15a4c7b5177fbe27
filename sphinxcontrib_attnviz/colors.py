"""Colormap lookup, hex colours, readable text colours (WCAG 2.x contrast), and each
colormap's variant for dark pages.

matplotlib and coloraide are imported on first use only, so a docs build that enables
the extension but draws nothing does not pay for them. A colormap's dark variant is kept
in the user's cache folder once worked out (:func:`cached_dark_variant`), so that later
runs import no coloraide at all; so are the tables of matplotlib's own colormaps
(:func:`table_rgb`), and then matplotlib is not imported either.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from .colour_cache import cache_key, package_release, read_rgb, write_rgb
from .errors import OptionError

if TYPE_CHECKING:
    from matplotlib.colors import Colormap

BLACK = "#000000"
WHITE = "#ffffff"
#: WCAG 2.x's minimum contrast ratio for normal text (level AA).
MIN_CONTRAST = 4.5
#: The OKLab lightness a dark variant gives a colormap's lightest colour: just above that of
#: dark themes' pages (furo's #131416 is 0.19, pydata-sphinx-theme's #121212 0.18, MkDocs
#: Material's slate #1e2129 0.25), so that the lowest scores fade into the page and the
#: contrast with it still rises with the score on every one of them.
DARK_PAGE_LIGHTNESS = 0.27


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
    return _palette_of(table_rgb(name))


@cache
def dark_palette(name: str, dark_name: str | None = None) -> Palette:
    """The colours for dark pages, entry for entry with ``palette(name)``.

    With ``dark_name``, that colormap as it is, sampled at the middle of each of ``name``'s
    entries (the same entries when both tables have the same size); without, ``name``'s
    dark variant (:func:`dark_variant`). Raises OptionError for an unknown colormap.
    """
    if dark_name is None:
        return _palette_of(cached_dark_variant(table_rgb(name)))
    size = colormap(name).N
    middles = (np.arange(size) + 0.5) / size
    return _palette_of(rgb_bytes(middles, colormap(dark_name)))


@cache
def dark_stops(count: int, name: str, dark_name: str | None = None) -> tuple[str, ...]:
    """``count`` hex colours evenly spaced from 0 to 1 (a legend's gradient) for dark
    pages: ``name``'s dark variant, or ``dark_name`` as it is."""
    positions = np.linspace(0.0, 1.0, count)
    if dark_name is None:
        return tuple(hex_colors(cached_dark_variant(rgb_bytes(positions, colormap(name)))))
    return tuple(hex_colors(rgb_bytes(positions, colormap(dark_name))))


def table_rgb(name: str) -> np.ndarray:
    """An (N, 3) uint8 array: the colormap's lookup table, entry by entry.

    A table of one of matplotlib's own colormaps is kept in the user's cache folder
    (:mod:`.colour_cache`), named after matplotlib's release and the colormap's name
    (matplotlib refuses to register another colormap under a built-in name), so that later
    runs need not import matplotlib at all; any other colormap is looked up each time.
    """
    key = cache_key("table", package_release("matplotlib", "_version.py"), repr(name).encode())
    cached = read_rgb(key)
    if cached is not None:
        return cached
    cmap = colormap(name)
    rgb = rgb_bytes(np.arange(cmap.N), cmap)  # integer input: the table's entries themselves
    if _is_builtin(name):
        write_rgb(key, rgb)
    return rgb


def _is_builtin(name: str) -> bool:
    """Whether ``name`` is one of matplotlib's own colormaps (which no other can replace)."""
    from matplotlib import colormaps

    return name in getattr(colormaps, "_builtin_cmaps", ())


def cached_dark_variant(rgb: np.ndarray) -> np.ndarray:
    """:func:`dark_variant` of ``rgb``, read from the user's cache folder when a run has
    worked it out before (coloraide is then not even imported), and kept there otherwise
    (:mod:`.colour_cache`), named after the colours, this module's code, coloraide's
    release and numpy's version."""
    key = cache_key(
        "dark",
        package_release("coloraide", "__meta__.py"),
        np.__version__.encode(),
        _own_source(),
        repr(rgb.shape).encode(),
        np.ascontiguousarray(rgb, dtype=np.uint8).tobytes(),
    )
    cached = read_rgb(key)
    if cached is not None and cached.shape == rgb.shape:
        return cached
    dark = dark_variant(rgb)
    write_rgb(key, dark)
    return dark


@cache
def _own_source() -> bytes | None:
    """This module's source: what :func:`dark_variant` computes is in it."""
    try:
        with open(__file__, "rb") as file:
            return file.read()
    except OSError:
        return None


def _palette_of(rgb: np.ndarray) -> Palette:
    return Palette(tuple(hex_colors(rgb)), tuple(text_colors(rgb)))


def dark_variant(rgb: np.ndarray) -> np.ndarray:
    """Colours for a dark page, from a colormap's colours ``rgb`` (an (N, 3) uint8 array of
    sRGB colours, in order from the lowest score's to the highest's); returns the same shape.

    A colormap that already goes from dark to light (viridis, magma, ``Greys_r``: its middle
    lighter than its low end, its high end lighter still) suits a dark page as it is: low scores
    fade into it, high ones stand out; it is returned unchanged. In any other (light to
    dark like BuGn, or diverging with a light centre like RdBu), each colour's OKLab
    lightness ``L`` (Ottosson, "A perceptual color space for image processing", 2020)
    becomes ``D + (1 - L) * (1 - D)`` with ``D`` = :data:`DARK_PAGE_LIGHTNESS`: its lightest
    colours, the least emphasis, come out about as dark as a dark theme's page, its darkest
    come out light, so the emphasis stays where it is; ``a`` and ``b`` (hue and chroma) are
    kept, so the hues keep their order. Colours outside sRGB are brought in by coloraide's
    gamut mapping (keeping lightness and hue).
    """
    from coloraide import Color

    oklab = [
        Color("srgb", [red / 255, green / 255, blue / 255]).convert("oklab").coords()
        for red, green, blue in rgb.tolist()
    ]
    lightness = [coords[0] for coords in oklab]
    if lightness[0] < lightness[len(lightness) // 2] < lightness[-1]:
        return rgb.copy()
    out = np.empty_like(rgb)
    for index, (light, a, b) in enumerate(oklab):
        inverted = DARK_PAGE_LIGHTNESS + (1 - light) * (1 - DARK_PAGE_LIGHTNESS)
        srgb = Color("oklab", [inverted, a, b]).convert("srgb").fit(method="minde-chroma")
        out[index] = np.round(np.clip(srgb.coords(), 0.0, 1.0) * 255)
    return out


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
