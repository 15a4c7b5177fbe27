"""The HTML fragment: one ``div.attnviz`` of coloured, escaped token spans.

No ``<script>``, no external URL. The figure (``role="figure"``, named by its caption or
"Token scores") holds its colour rules in one ``<style>`` element (:mod:`.css`): each
token names its palette entry by a class, light and dark colours come from those rules.
Scores are tooltips (``title``); the package's stylesheet also gives them to screen
readers and shows them when the figure's rows have focus (Tab, a click or a tap), and
every token is escaped as text. A token with no score (a missing cell) has no colour, a
dashed outline (``attnviz-missing``) and the tooltip "no score". Tokens show their display text (:mod:`..display`): the
pieces of one word sit in one ``span.attnviz-word`` with nothing between them, a token
that holds a newline is followed by ``<br>``, and text between tokens (with offsets) is
plain. ``div.attnviz-rows`` (the figure's one Tab stop) holds a ``div.attnviz-row`` per
row: its ``span.attnviz-label`` if it has a label, then its ``span.attnviz-tokens``.
Long rows come in ``span.attnviz-chunk`` blocks that the browser lays out only when they
are on screen. Labels and legend text take the page's own text colour.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import TypeVar

import numpy as np

from ..colors import Palette
from ..display import NEEDS_STAND_IN, TokenDisplay, plain
from ..visualization import ColouredRow, Legend, Visualization, scheme_note
from . import describe_aggregation, format_bound, format_scores, legend_notes
from .css import ENTRY_PREFIX, gradient, palette_class, style_element

T = TypeVar("T")

ROOT_CLASS = "attnviz"
TOKEN_CLASS = "attnviz-token"
CLIPPED_CLASS = "attnviz-clipped"
MISSING_CLASS = "attnviz-missing"
#: The tooltip (and what screen readers read) of a token with no score.
MISSING_TITLE = "no score"
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
WRITE_PIECE = 20_000
#: Rows of more tokens than this (in ``flow`` layout) come in blocks of about
#: SCREEN_CHUNK tokens that the browser lays out only when on screen (``content-visibility``).
CHUNKED_ROW = 2_000
SCREEN_CHUNK = 500
CLIPPED_NOTE = " (outside the colour range: clipped)"
#: A figure's accessible name when it has no caption.
DEFAULT_NAME = "Token scores"


def render_html(
    viz: Visualization,
    classes: Iterable[str] = (),
    name: str | None = None,
    inline_colours: bool = False,
    ids: Sequence[str] = (),
) -> str:
    """The fragment for ``viz``; ``classes`` are added to the root element's; ``name`` is
    the figure's accessible name (its caption's text; "Token scores" when None).

    ``inline_colours``: each token's light colours in its own ``style`` attribute and no
    ``<style>`` element, for XHTML that allows none in the body (EPUB); no dark colours.

    ``ids``: the figure's link targets (a Sphinx ``:name:``, labels): the first is the
    root element's ``id``, any others are empty spans just before it.
    """
    return "".join(iter_html(viz, classes, name, inline_colours, ids))


def iter_html(
    viz: Visualization,
    classes: Iterable[str] = (),
    name: str | None = None,
    inline_colours: bool = False,
    ids: Sequence[str] = (),
) -> Iterator[str]:
    """The fragment in pieces of at most WRITE_PIECE tokens, to write a long text without
    holding the whole page in memory."""
    if viz.view == "matrix":
        from .matrix import iter_matrix_html  # the matrix view imports this module

        yield from iter_matrix_html(viz, classes, name, inline_colours, ids)
        return
    display = viz.display
    yield from figure_opening(viz, [f"attnviz-{viz.layout}", *viz.classes, *classes], name, inline_colours, ids)
    yield '<div class="attnviz-rows" tabindex="0">'
    layout = Layout.of(display, chunked=viz.layout == "flow" and len(display) > CHUNKED_ROW)
    for row in viz.rows:
        if row.label is None:
            yield '<div class="attnviz-row"><span class="attnviz-tokens">'
        else:
            label = escape_text(row.label)
            yield (
                f'<div class="attnviz-row" role="group" aria-label="{label}">'
                f'<span class="attnviz-label">{label}</span><span class="attnviz-tokens">'
            )
        for start in range(0, len(display), WRITE_PIECE):
            yield token_spans(row, layout, start, start + WRITE_PIECE, inline_colours)
        yield layout.tail + layout.end
        yield "</span></div>"
    yield "</div>"
    if viz.legend:
        yield _legend_div(viz.legend, inline_colours)
    yield "</div>"


def figure_opening(
    viz: Visualization,
    classes: Sequence[str],
    name: str | None,
    inline_colours: bool,
    ids: Sequence[str],
    extra_rules: str = "",
) -> Iterator[str]:
    """What every view's fragment starts with: empty spans for the link targets after the
    first, the root ``div`` (its classes: the package's, the palette's, then ``classes``;
    named ``name``; its title the notes on what was done to the scores), and, unless
    ``inline_colours``, the figure's ``<style>`` (the palette entries its rows use, the
    legend's gradients, then ``extra_rules``)."""
    figure_class = palette_class(viz.cmap, viz.dark_cmap)
    class_attribute = escape_text(" ".join([ROOT_CLASS, figure_class, *classes]))
    notes = [
        scheme_note(viz.display),
        viz.aggregation and describe_aggregation(viz.aggregation),
        viz.normalization and viz.normalization.describe(),
    ]
    notes = [note for note in notes if note]
    title = f' title="{escape_text("; ".join(notes))}"' if notes else ""
    if len(ids) > 1:
        yield "".join(f'<span id="{escape_text(extra)}"></span>' for extra in ids[1:])
    root_id = f' id="{escape_text(ids[0])}"' if ids else ""
    yield f'<div class="{class_attribute}" role="figure" aria-label="{figure_name(name)}"{title}{root_id}>'
    if not inline_colours:
        used = sum(row.used_entries for row in viz.rows)
        entries = np.flatnonzero(used).tolist()
        bars = (gradient(viz.legend.stops), gradient(viz.legend.dark_stops)) if viz.legend else None
        style = style_element(figure_class, viz.rows[0].palette, viz.dark_palette, entries, bars)
        yield style.removesuffix("</style>") + extra_rules + "</style>" if extra_rules else style


def figure_name(name: str | None) -> str:
    """The figure's accessible name, escaped: its caption's text, or "Token scores"."""
    return escape_text(name or DEFAULT_NAME)


#: For a chunk's height estimate: characters on a line of a typical page (about 40em of
#: text) and the line height in em (the stylesheet's ``line-height: 2``).
_LINE_CHARACTERS = 80
_LINE_HEIGHT_EM = 2


def screen_chunks(display: TokenDisplay) -> dict[int, str]:
    """Where a long row's blocks start, and each block's opening: about every SCREEN_CHUNK
    tokens, at the first word that starts there, with an estimate of the block's height
    (its tokens' mean length, plus about two characters' width of padding and space per
    token) so that the page's length barely changes as blocks come on screen."""
    size = len(display)
    starts = np.flatnonzero(~display.joined)  # where a word (or a lone token) starts
    wanted = np.arange(SCREEN_CHUNK, size, SCREEN_CHUNK)
    cuts = np.unique(starts[np.minimum(np.searchsorted(starts, wanted), len(starts) - 1)])
    bounds = [0, *cuts[cuts > 0].tolist(), size]
    sample = display.texts[:: max(1, size // 10_000)]
    width = sum(map(len, sample)) / len(sample) + 2
    return {
        start: '<span class="attnviz-chunk" style="contain-intrinsic-size: auto '
        f'{-(-int((stop - start) * width) // _LINE_CHARACTERS) * _LINE_HEIGHT_EM}em">'
        for start, stop in itertools.pairwise(bounds)
    }


@dataclass(frozen=True, eq=False)
class Layout:
    """The markup around each token, worked out once for every row: whether a space comes
    before it, what else opens before it (plain text between tokens, a word's span) and
    what closes after it (a word's span, a line break), and its escaped text.

    ``before`` and ``after`` are sparse (index -> markup): a text without subwords,
    breaks, gaps or screen chunks has none. ``end`` closes what is still open after the
    last token and the text after it (``tail``): the last chunk.
    """

    spaced: np.ndarray
    before: dict[int, str]
    after: dict[int, str]
    texts: tuple[str, ...]
    #: What closes each token's span after its title (``">text</span>``): by text, or
    #: None, worked out a piece at a time (:func:`token_closings`).
    closings: dict[str, str] | None
    notes: dict[int, str]
    completes: dict[int, list[int]]
    tail: str
    end: str = ""

    @property
    def size(self) -> int:
        return len(self.texts)

    def closings_of(self, start: int, stop: int) -> list[str]:
        """The closings of tokens ``start`` to ``stop``."""
        if self.closings is None:
            return escaped_closings(self.texts[start:stop])
        return list(map(self.closings.__getitem__, self.texts[start:stop]))

    @classmethod
    def of(cls, display: TokenDisplay, chunked: bool = False) -> Layout:
        """The layout of ``display``; ``chunked``: in screen chunks (:func:`screen_chunks`)."""
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
        chunks = screen_chunks(display) if chunked else {}
        for index, opening in chunks.items():
            before[index] = ("</span>" if index else "") + opening + before.get(index, "")
        return cls(
            spaced=spaced,
            before=before,
            after=after,
            texts=display.texts,
            closings=token_closings(display.texts),
            notes=display.notes,
            completes=display.completes,
            tail=_gap_html(display.tail) if display.tail else "",
            end="</span>" if chunks else "",
        )


#: At most how many tokens, spread over the text, tell :func:`token_closings` whether tokens repeat.
_REPEAT_SAMPLE = 100_000
_SEPARATOR = "\x00"
#: What the joined escape cannot take: a control character other than a text's final
#: newline (and a shorter, faster pattern for ASCII text).
_CONTROL = re.compile(NEEDS_STAND_IN.pattern.replace("\x00-\x1f", "\x01-\x09\x0b-\x1f"))
_ASCII_CONTROL = re.compile("[\x01-\x09\x0b-\x1f\x7f]")


def token_closings(texts: tuple[str, ...]) -> dict[str, str] | None:
    """What closes each token's span after its title: ``">`` + its text escaped (a final
    newline left out: the line break follows) + ``</span>``.

    Tokens that repeat (most text: half or fewer of a sample spread over the text are
    distinct) are escaped once per distinct text, as a mapping; for tokens that mostly do
    not (ids, numbers, a text of all-distinct pieces), None: each piece of the output is
    escaped on its own (:func:`escaped_closings`), so that no string per token is held
    for the whole text.
    """
    sample = texts[:: max(1, len(texts) // _REPEAT_SAMPLE)]
    if len(set(sample)) * 2 <= len(sample):
        return {text: f'">{escape_text(text.removesuffix(chr(10)))}</span>' for text in set(texts)}
    return None


def escaped_closings(texts: Sequence[str]) -> list[str]:
    """The closings (:func:`token_closings`) of ``texts``, token by token: the texts are
    joined, escaped by ``html.escape`` once and split, all in C."""
    joined = _SEPARATOR.join(texts)
    control = _ASCII_CONTROL if joined.isascii() else _CONTROL
    if joined.count(_SEPARATOR) != len(texts) - 1 or control.search(joined):
        return [f'">{escape_text(text.removesuffix(chr(10)))}</span>' for text in texts]
    escaped = escape(joined.replace("\n" + _SEPARATOR, _SEPARATOR).removesuffix("\n"), quote=True)
    return ('">' + escaped.replace(_SEPARATOR, "</span>" + _SEPARATOR + '">') + "</span>").split(_SEPARATOR)


def _gap_html(gap: str) -> str:
    """Plain text between tokens, as it is: spaces kept, newlines as line breaks."""
    if gap == " ":
        return gap
    return '<span class="attnviz-gap">' + escape_text(gap).replace("\n", LINE_BREAK) + "</span>"


def token_spans(
    row: ColouredRow, layout: Layout, start: int = 0, stop: int | None = None, inline_colours: bool = False
) -> str:
    """The spans of tokens ``start`` to ``stop`` with what the layout puts around them
    (``inline_colours``: see :func:`render_html`).

    Built column by column, so that a long text costs little more than one string per
    token: span openings come from a table per palette entry (with and without the space
    before), the scores are formatted as one array, and each distinct token is escaped once.
    """
    stop = layout.size if stop is None else min(stop, layout.size)
    openings = _span_openings(row.palette, inline_colours)
    heads = openings[
        row.colour_index[start:stop] + np.where(layout.spaced[start:stop], len(row.palette.backgrounds), 0)
    ].tolist()
    titles = format_scores(row.scores[start:stop])
    if row.raw_scores is not None:  # normalised: the score as given too
        raw = format_scores(row.raw_scores[start:stop])
        titles = [f"{title} (given {given})" for title, given in zip(titles, raw, strict=True)]
    for offset in np.flatnonzero(row.clipped[start:stop]).tolist():
        titles[offset] += CLIPPED_NOTE
        heads[offset] = heads[offset].replace(TOKEN_CLASS, f"{TOKEN_CLASS} {CLIPPED_CLASS}", 1)
    if row.missing[start:stop].any():
        missing_openings = _missing_openings(inline_colours)
        for offset in np.flatnonzero(row.missing[start:stop]).tolist():
            titles[offset] = MISSING_TITLE
            heads[offset] = missing_openings[bool(layout.spaced[start + offset])]
    texts = layout.texts[start:stop]
    parts: list[str] = [""] * (3 * len(texts))
    parts[0::3] = heads
    parts[1::3] = titles
    parts[2::3] = layout.closings_of(start, stop)
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
def _span_openings(palette: Palette, inline_colours: bool) -> np.ndarray:
    """A token span's opening up to its title's value, for each palette entry: first as
    is, then with the space that separates words before it. Each names its entry's class;
    with ``inline_colours``, it also carries the entry's colours as an inline style."""
    styles = [
        f' style="background-color: {background}; color: {foreground}"' if inline_colours else ""
        for background, foreground in zip(palette.backgrounds, palette.foregrounds, strict=True)
    ]
    openings = [
        f'<span class="{TOKEN_CLASS} {ENTRY_PREFIX}{index}"{style} title="' for index, style in enumerate(styles)
    ]
    return np.array(openings + [" " + opening for opening in openings], dtype=object)


@cache
def _missing_openings(inline_colours: bool) -> tuple[str, str]:
    """A missing cell's span opening up to its title's value, without and with the space
    before it: no palette entry, so no colour (with ``inline_colours``, its outline inline)."""
    style = ' style="outline: 1px dashed; outline-offset: -1px"' if inline_colours else ""
    opening = f'<span class="{TOKEN_CLASS} {MISSING_CLASS}"{style} title="'
    return opening, " " + opening


def _legend_div(legend: Legend, inline_colours: bool = False) -> str:
    """A gradient bar between the bounds (its colours from the figure's rules: the dark
    variant's on dark pages, which the name then says), then the centre, the colormap's
    name and the legend's notes (why the range reaches past the scores, the scheme found)."""
    scale = legend.scale
    description = (
        f"colour scale {escape_text(legend.cmap)} from {format_bound(scale.vmin)} to {format_bound(scale.vmax)}"
    )
    centre = f", centre {format_bound(scale.center)}" if scale.center is not None else ""
    notes = "".join(f", {escape_text(note)}" for note in legend_notes(legend))
    dark = f"dark: {escape_text(legend.dark_cmap)}" if legend.dark_cmap else "dark variant"
    unchanged = legend.dark_cmap is None and legend.dark_stops == legend.stops  # viridis suits dark pages as it is
    dark_only = "" if inline_colours or unchanged else f'<span class="attnviz-dark-only">, {dark}</span>'
    return (
        '<div class="attnviz-legend">'
        f'<span class="attnviz-legend-label">{format_bound(scale.vmin)}</span> '
        f'<span class="attnviz-legend-bar" role="img" aria-label="{description}{centre}" '
        'style="display: inline-block; width: 12em; height: 0.9em; vertical-align: middle'
        f'{f"; background: {gradient(legend.stops)}" if inline_colours else ""}"></span> '
        f'<span class="attnviz-legend-label">{format_bound(scale.vmax)}</span> '
        f'<span class="attnviz-legend-name">({escape_text(legend.cmap)}'
        f"{dark_only}{centre}{notes})</span>"
        "</div>"
    )
