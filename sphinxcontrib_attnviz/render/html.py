"""The HTML fragment: one ``div.attnviz`` of coloured, escaped token spans.

No ``<script>``, no ``<style>`` element, no external URL: colours are inline styles,
scores are tooltips (``title``), and every token is escaped as text. Tokens show their
display text (:mod:`..display`): the pieces of one word sit in one ``span.attnviz-word``
with nothing between them, a token that holds a newline is followed by ``<br>``, and
text between tokens (with offsets) is plain. A single unnamed row's spans sit directly
in the root; named rows each get a ``div.attnviz-row`` with a ``span.attnviz-label``.
Labels and legend text take the page's own text colour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import TypeVar

import numpy as np

from ..colors import Palette
from ..display import NEEDS_STAND_IN, TokenDisplay, plain
from ..visualization import ColouredRow, Legend, Visualization, scheme_note
from . import format_bound, format_scores

T = TypeVar("T")

ROOT_CLASS = "attnviz"
TOKEN_CLASS = "attnviz-token"
WORD_OPEN = '<span class="attnviz-word">'
LINE_BREAK = "<br/>"

#: What ``escape_text`` changes: HTML's specials, and control characters (CR, NUL, ...).
_SPECIAL = re.compile("[&<>\"']|" + NEEDS_STAND_IN.pattern)


def escape_text(text: str) -> str:
    """``text`` escaped so that a browser shows it verbatim, in element text or an
    attribute; control characters are shown by their visible stand-ins (never raw,
    which XHTML does not allow)."""
    if not _SPECIAL.search(text):
        return text
    return escape(plain(text), quote=True)


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
    display = viz.display
    note = scheme_note(display)
    title = f' title="{escape_text(note)}"' if note else ""
    yield f'<div class="{class_attribute}"{title}>'
    bare = len(viz.rows) == 1 and viz.rows[0].label is None
    layout = Layout.of(display)
    for row in viz.rows:
        if not bare:
            label = f'<span class="attnviz-label">{escape_text(row.label)}</span> ' if row.label is not None else ""
            yield f'<div class="attnviz-row">{label}'
        for start in range(0, len(display), CHUNK):
            yield token_spans(row, layout, start, start + CHUNK)
        if layout.tail:
            yield layout.tail
        if not bare:
            yield "</div>"
    if viz.legend:
        yield _legend_div(viz.legend)
    yield "</div>"


@dataclass(frozen=True, eq=False)
class Layout:
    """The markup around each token, worked out once for every row: whether a space comes
    before it, what else opens before it (plain text between tokens, a word's span) and
    what closes after it (a word's span, a line break), and its escaped text.

    ``before`` and ``after`` are sparse (index -> markup): a text without subwords,
    breaks or gaps has none.
    """

    spaced: np.ndarray
    before: dict[int, str]
    after: dict[int, str]
    texts: tuple[str, ...]
    closings: dict[str, str]
    notes: dict[int, str]
    completes: dict[int, list[int]]
    tail: str

    @property
    def size(self) -> int:
        return len(self.texts)

    @classmethod
    def of(cls, display: TokenDisplay) -> Layout:
        spaced = display.spaced.copy()
        before: dict[int, str] = {}
        if display.gaps is not None:
            before = {index: _gap_html(gap) for index, gap in enumerate(display.gaps) if gap and gap != " "}
        after: dict[int, str] = {}
        if display.joins.any():
            firsts, lasts = display.word_edges
            for index in np.flatnonzero(firsts).tolist():
                before[index] = (" " if spaced[index] else before.get(index, "")) + WORD_OPEN
            spaced[firsts] = False
            after.update((index, "</span>") for index in np.flatnonzero(lasts).tolist())
        for index in np.flatnonzero(display.breaks).tolist():
            after[index] = after.get(index, "") + LINE_BREAK
        return cls(
            spaced=spaced,
            before=before,
            after=after,
            texts=display.texts,
            closings={text: f'">{escape_text(text.removesuffix(chr(10)))}</span>' for text in set(display.texts)},
            notes=display.notes,
            completes=display.completes,
            tail=_gap_html(display.tail) if display.tail else "",
        )


def _gap_html(gap: str) -> str:
    """Plain text between tokens, as it is: spaces kept, newlines as line breaks."""
    if gap == " ":
        return gap
    return '<span class="attnviz-gap">' + escape_text(gap).replace("\n", LINE_BREAK) + "</span>"


def token_spans(row: ColouredRow, layout: Layout, start: int = 0, stop: int | None = None) -> str:
    """The spans of tokens ``start`` to ``stop`` with what the layout puts around them.

    Built column by column, so that a long text costs little more than one string per
    token: span openings come from a table per palette entry (with and without the space
    before), the scores are formatted as one array, and each distinct token is escaped once.
    """
    stop = layout.size if stop is None else min(stop, layout.size)
    openings = _span_openings(row.palette)
    heads = openings[
        row.colour_index[start:stop] + np.where(layout.spaced[start:stop], len(row.palette.backgrounds), 0)
    ]
    titles = format_scores(row.scores[start:stop])
    for offset in np.flatnonzero(row.clipped[start:stop]).tolist():
        titles[offset] += CLIPPED_NOTE
    texts = layout.texts[start:stop]
    parts: list[str] = [""] * (3 * len(texts))
    parts[0::3] = heads.tolist()
    parts[1::3] = titles
    parts[2::3] = map(layout.closings.__getitem__, texts)
    for index, note in _within(layout.notes, start, stop):
        parts[3 * index + 1] += f" ({note})"
    for index, before in _within(layout.completes, start, stop):
        scores = ", ".join(format_scores(row.scores[before]))
        parts[3 * index + 1] += f" (its character began in the {len(before)} token(s) before it, scored {scores})"
    for index, markup in _within(layout.before, start, stop):
        parts[3 * index] = markup + parts[3 * index]
    for index, markup in _within(layout.after, start, stop):
        parts[3 * index + 2] += markup
    return "".join(parts)


def _within(sparse: dict[int, T], start: int, stop: int) -> Iterator[tuple[int, T]]:
    """The entries of ``sparse`` from ``start`` to ``stop``, indexed from ``start``."""
    if not sparse:
        return
    for index in range(start, stop) if len(sparse) > stop - start else sorted(sparse):
        if start <= index < stop and index in sparse:
            yield index - start, sparse[index]


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
    note = f", {escape_text(legend.note)}" if legend.note else ""
    return (
        '<div class="attnviz-legend">'
        f'<span class="attnviz-legend-label">{format_bound(scale.vmin)}</span> '
        f'<span class="attnviz-legend-bar" role="img" aria-label="{description}{centre}" '
        'style="display: inline-block; width: 12em; height: 0.9em; vertical-align: middle; '
        f'background: linear-gradient(to right, {gradient})"></span> '
        f'<span class="attnviz-legend-label">{format_bound(scale.vmax)}</span> '
        f'<span class="attnviz-legend-name">({escape_text(legend.cmap)}{centre}{note})</span>'
        "</div>"
    )
