"""The HTML fragment: one ``div.attnviz`` of coloured, escaped token spans.

No ``<script>``, no ``<style>`` element, no external URL: colours are inline styles,
scores are tooltips (``title``), and every token is escaped as text. A single unnamed
row's spans sit directly in the root; named rows each get a ``div.attnviz-row`` with
a ``span.attnviz-label``. Labels and legend text take the page's own text colour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from html import escape

import numpy as np

from ..colors import Palette
from ..visualization import ColouredRow, Legend, Visualization
from . import format_bound, format_scores

ROOT_CLASS = "attnviz"
TOKEN_CLASS = "attnviz-token"

#: Beyond ``html.escape``: a raw CR would be read as LF, and NUL cannot stand in
#: HTML text at all (browsers drop it), so it is shown as U+FFFD.
_TEXT_EXTRAS = str.maketrans({"\r": "&#13;", "\x00": "&#xfffd;"})


_SPECIAL = re.compile("[&<>\"'\r\x00]")


def escape_text(text: str) -> str:
    """``text`` escaped so that a browser shows it verbatim, in element text or an attribute."""
    if not _SPECIAL.search(text):
        return text
    return escape(text, quote=True).translate(_TEXT_EXTRAS)


#: Tokens per piece of output when the fragment is written out in pieces (see iter_html).
CHUNK = 20_000
CLIPPED_NOTE = " (outside the colour range: clipped)"


def render_html(viz: Visualization, classes: Iterable[str] = ()) -> str:
    """The fragment for ``viz``; ``classes`` are added to the root element's."""
    return "".join(iter_html(viz, classes))


def iter_html(viz: Visualization, classes: Iterable[str] = ()) -> Iterator[str]:
    """The fragment in pieces of at most CHUNK tokens, to write a long text without
    holding the whole page in memory."""
    class_attribute = escape_text(" ".join([ROOT_CLASS, *viz.classes, *classes]))
    yield f'<div class="{class_attribute}">'
    bare = len(viz.rows) == 1 and viz.rows[0].label is None
    closings = span_closings(viz.pieces)
    for row in viz.rows:
        if not bare:
            label = f'<span class="attnviz-label">{escape_text(row.label)}</span> ' if row.label is not None else ""
            yield f'<div class="attnviz-row">{label}'
        for start in range(0, len(viz.pieces), CHUNK):
            yield token_spans(viz, row, start, start + CHUNK, closings)
        if not bare:
            yield "</div>"
    if viz.legend:
        yield _legend_div(viz.legend)
    yield "</div>"


def span_closings(pieces: Iterable[str]) -> dict[str, str]:
    """Each distinct token's escaped text and closing tag, escaped once however often it occurs."""
    return {piece: f'">{escape_text(piece)}</span>' for piece in set(pieces)}


def token_spans(
    viz: Visualization,
    row: ColouredRow,
    start: int = 0,
    stop: int | None = None,
    closings: dict[str, str] | None = None,
) -> str:
    """The spans of tokens ``start`` to ``stop``, a space before each one that starts a word.

    Built column by column, so that a long text costs little more than one string per
    token: span openings come from a table per palette entry (with and without the space
    before), the scores are formatted as one array, and each distinct token is escaped once.
    """
    stop = len(viz.pieces) if stop is None else min(stop, len(viz.pieces))
    openings = _span_openings(row.palette)
    continues = np.fromiter(viz.joins[start:stop], dtype=bool, count=stop - start)
    if start == 0:
        continues[0] = True  # nothing before the first token
    heads = openings[row.colour_index[start:stop] + np.where(continues, 0, len(row.palette.backgrounds))]
    titles = format_scores(row.scores[start:stop])
    for offset in np.flatnonzero(row.clipped[start:stop]).tolist():
        titles[offset] += CLIPPED_NOTE
    pieces = viz.pieces[start:stop]
    closings = closings if closings is not None else span_closings(pieces)
    parts: list[str] = [""] * (3 * len(pieces))
    parts[0::3] = heads.tolist()
    parts[1::3] = titles
    parts[2::3] = map(closings.__getitem__, pieces)
    return "".join(parts)


@cache
def _span_openings(palette: Palette) -> np.ndarray:
    """A token span's opening up to its title's value, for each palette entry: first
    as is, then with the space that separates words before it."""
    openings = [
        f'<span class="{TOKEN_CLASS}" style="background-color: {background}; color: {foreground}" title="'
        for background, foreground in zip(palette.backgrounds, palette.foregrounds, strict=True)
    ]
    return np.array(openings + [" " + opening for opening in openings], dtype=object)


def _legend_div(legend: Legend) -> str:
    """A CSS gradient bar between the bounds, then the centre and the colormap's name."""
    gradient = ", ".join(legend.stops)
    scale = legend.scale
    description = (
        f"colour scale {escape_text(legend.cmap)} from {format_bound(scale.vmin)} to {format_bound(scale.vmax)}"
    )
    centre = f", centre {format_bound(scale.center)}" if scale.center is not None else ""
    return (
        '<div class="attnviz-legend">'
        f'<span class="attnviz-legend-label">{format_bound(scale.vmin)}</span> '
        f'<span class="attnviz-legend-bar" role="img" aria-label="{description}{centre}" '
        'style="display: inline-block; width: 12em; height: 0.9em; vertical-align: middle; '
        f'background: linear-gradient(to right, {gradient})"></span> '
        f'<span class="attnviz-legend-label">{format_bound(scale.vmax)}</span> '
        f'<span class="attnviz-legend-name">({escape_text(legend.cmap)}{centre})</span>'
        "</div>"
    )
