"""The HTML fragment: one ``div.attnviz`` of coloured, escaped token spans.

No ``<script>``, no ``<style>`` element, no external URL: colours are inline styles,
scores are tooltips (``title``), and every token is escaped as text. A single unnamed
row's spans sit directly in the root; named rows each get a ``div.attnviz-row`` with
a ``span.attnviz-label``. Labels and legend text take the page's own text colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape

from ..visualization import ColouredRow, Legend, Visualization
from . import format_bound, format_score

ROOT_CLASS = "attnviz"
TOKEN_CLASS = "attnviz-token"

#: Beyond ``html.escape``: a raw CR would be read as LF, and NUL cannot stand in
#: HTML text at all (browsers drop it), so it is shown as U+FFFD.
_TEXT_EXTRAS = str.maketrans({"\r": "&#13;", "\x00": "&#xfffd;"})


def escape_text(text: str) -> str:
    """``text`` escaped so that a browser shows it verbatim, in element text or an attribute."""
    return escape(text, quote=True).translate(_TEXT_EXTRAS)


def render_html(viz: Visualization, classes: Iterable[str] = ()) -> str:
    """The fragment for ``viz``; ``classes`` are added to the root element's."""
    class_attribute = escape_text(" ".join([ROOT_CLASS, *viz.classes, *classes]))
    rows = viz.rows
    if len(rows) == 1 and rows[0].label is None:
        body = "".join(token_spans(viz, rows[0]))
    else:
        body = "".join(_row_div(viz, row) for row in rows)
    legend = _legend_div(viz.legend) if viz.legend else ""
    return f'<div class="{class_attribute}">{body}{legend}</div>'


def token_spans(viz: Visualization, row: ColouredRow) -> Iterator[str]:
    """One ``<span>`` per token, a space before each one that starts a word."""
    cells = zip(viz.pieces, viz.joins, row.scores, row.backgrounds, row.foregrounds, row.clipped, strict=True)
    for index, (piece, joins, score, background, foreground, clipped) in enumerate(cells):
        title = format_score(score) + (" (outside the colour range: clipped)" if clipped else "")
        separator = "" if joins or index == 0 else " "
        yield (
            f'{separator}<span class="{TOKEN_CLASS}" style="background-color: {background}; color: {foreground}" '
            f'title="{title}">{escape_text(piece)}</span>'
        )


def _row_div(viz: Visualization, row: ColouredRow) -> str:
    label = f'<span class="attnviz-label">{escape_text(row.label)}</span> ' if row.label is not None else ""
    return f'<div class="attnviz-row">{label}{"".join(token_spans(viz, row))}</div>'


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
