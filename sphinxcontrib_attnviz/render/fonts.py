"""Fonts for images: the families tried for each character, the characters none of them
has, and the one warning that names those (matplotlib's own, one per glyph, silenced).

DejaVu Sans (which matplotlib ships), then the CJK and symbol fonts found on the machine
(:data:`FONT_FAMILIES`), as matplotlib's font fallback takes them.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

#: Font families, in order of preference: the first that has a character draws it.
FONT_FAMILIES = (
    "DejaVu Sans",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Source Han Sans",
    "Droid Sans Fallback",
    "WenQuanYi Micro Hei",
    "Noto Sans Symbols 2",
    "Noto Emoji",
    "Symbola",
)
FONT_SIZE = 10.0  # points


@cache
def font_families() -> tuple[str, ...]:
    """The families of :data:`FONT_FAMILIES` that matplotlib finds on this machine
    (DejaVu Sans, which matplotlib ships, always)."""
    from matplotlib import font_manager

    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return tuple(family for family in FONT_FAMILIES if family in known) or ("DejaVu Sans",)


@cache
def _charmaps() -> tuple[frozenset[int], ...]:
    from matplotlib import font_manager

    maps = []
    for family in font_families():
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=True)
        maps.append(frozenset(font_manager.get_font(path).get_charmap()))
    return tuple(maps)


def missing_glyphs(texts: Iterable[str]) -> list[str]:
    """The characters of ``texts`` that no font of :func:`font_families` has, in order of
    code point (spaces and other characters that draw nothing on their own left out)."""
    wanted = {char for text in texts for char in text if not char.isspace()}
    maps = _charmaps()
    return sorted(
        (
            char
            for char in wanted
            if not any(ord(char) in charmap for charmap in maps) and unicodedata.category(char) not in ("Cf", "Mn")
        ),
        key=ord,
    )


def missing_message(chars: list[str]) -> str:
    """The warning for ``chars`` (:func:`missing_glyphs`): the first 20 named, the fonts tried, the remedy."""
    shown = ", ".join(f"{char} (U+{ord(char):04X})" for char in chars[:20])
    more = f" and {len(chars) - 20} more" if len(chars) > 20 else ""
    return (
        f"no font of {', '.join(font_families())} has a glyph for {shown}{more}: "
        "drawn as a missing-glyph box (install a font that covers them, e.g. Noto Sans CJK or Noto Emoji)"
    )


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Without matplotlib's warnings about missing glyphs (one per character, as it
    measures and again as it draws): :func:`.image.draw_figure` gives one for them all."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support", category=UserWarning)
        yield
