"""Images: a figure drawn with matplotlib as an SVG, PNG or PDF file, in either view.

The token view: the figure is ``width`` inches wide (its height is what the text needs). Each row, its
label in a column on the left, holds the tokens as boxes of the figure's light colours
(:attr:`~..visualization.ColouredRow.backgrounds`, text in its ``foregrounds``), wrapped
to the width between words: the pieces of one word stand box against box and move to the
next line together, a token that holds a newline ends its line. Text is measured with
matplotlib's own font machinery (:class:`matplotlib.textpath.TextToPath`, unhinted, in
points), so every box fits its text in every format. A clipped score is underlined in
the token's text colour; a missing cell has no fill and a dashed outline. The legend, if
the figure has one, is a colour bar between the range's bounds, then the colormap's name
and the legend's notes. Tokens show their display text (:mod:`..display`), stand-ins
included, never as mathtext.

The matrix view (:func:`_draw_matrix`): the table :mod:`.matrix` draws in HTML, column
headers turned upright, a row label then a cell per score, the same colours; cut into
blocks of columns that fit the width (as its LaTeX is), one under another.

Fonts: DejaVu Sans, then the CJK fonts found on the machine (:data:`FONT_FAMILIES`) as
fallbacks. A character none of them has is drawn as the font's missing-glyph box, with
one ``UserWarning`` naming the characters (:func:`missing_glyphs`); it never fails.

Every format is deterministic: the SVG keeps text as text (``svg.fonttype: none``,
selectable and searchable), holds no external reference, and has no date and fixed ids
(``svg.hashsalt``); the PDF has no creation date.

Speed: each token is a box and a text artist (the SVG keeps them apart, with their ids);
``make bench`` times 1,000 tokens in each format (at most 2 s each is the target).
"""

from __future__ import annotations

import io
import os
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ..visualization import ColouredRow, Legend, Visualization
from . import format_bound, format_scores, legend_notes
from .matrix import column_blocks, column_headers, row_headers

#: The formats :func:`save_image` writes, by file suffix.
IMAGE_FORMATS = ("svg", "png", "pdf")
#: The default width in inches (about a page's text width, or a slide's half).
DEFAULT_WIDTH = 8.0
#: The narrowest and widest a figure may be, in inches: room for a row label, a column
#: of scores and the legend's colour bar; a size matplotlib can save.
WIDTH_RANGE = (3.0, 100.0)
#: The most of the width a row label may take, and the longest a column header may be
#: (points): a longer one is cut, ``…`` at its end (the HTML and text outputs keep it whole).
LABEL_SHARE = 0.35
MAX_HEADER = 144.0
#: The default resolution of a PNG, in pixels per inch.
DEFAULT_DPI = 150
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
#: Space inside a token's box, left and right, and above and below the text (points).
PAD_X = 2.0
PAD_Y = 2.0
#: Space between two lines of boxes, and between two rows (points).
LINE_GAP = 3.0
ROW_GAP = 8.0
#: Space between two blocks of a matrix's columns (points).
BLOCK_GAP = 14.0
#: A matrix of more cells than this is drawn in colours only, without its scores as text
#: (each text costs matplotlib a few milliseconds; the HTML and text outputs give them all).
MAX_ANNOTATED_CELLS = 1000
#: The figure's margin (points).
MARGIN = 6.0
#: Space after a row's label (points).
LABEL_GAP = 8.0
#: The legend's colour bar: its size and how many slices draw its gradient.
BAR_WIDTH = 120.0
BAR_HEIGHT = 9.0
BAR_SLICES = 96
#: The colour of labels, plain text, the legend and missing cells' outlines and text
#: (what a light page's text colour is).
TEXT_COLOUR = "#000000"
SALT = "attnviz"
ELLIPSIS = "\u2026"
#: The matplotlib settings every image is drawn and saved with: the SVG's text as text,
#: its ids fixed, the PDF's fonts TrueType, paths exactly as drawn.
SETTINGS = {"svg.fonttype": "none", "svg.hashsalt": SALT, "pdf.fonttype": 42, "path.simplify": False}


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
    shown = ", ".join(f"{char} (U+{ord(char):04X})" for char in chars[:20])
    more = f" and {len(chars) - 20} more" if len(chars) > 20 else ""
    return (
        f"no font of {', '.join(font_families())} has a glyph for {shown}{more}: "
        "drawn as a missing-glyph box (install a font that covers them, e.g. Noto Sans CJK or Noto Emoji)"
    )


@dataclass(frozen=True)
class Item:
    """One thing drawn: a token's box (``token`` its index) or plain text (``token`` None),
    at ``x`` points from the left of its line."""

    x: float
    width: float
    text: str
    token: int | None = None


@dataclass
class Lines:
    """Items wrapped into lines at most ``width`` points wide."""

    width: float
    lines: list[list[Item]] = field(default_factory=lambda: [[]])
    x: float = 0.0

    def place(self, pieces: list[tuple[str, float, int | None]], space: float) -> None:
        """Put a group (a word's pieces) after a space of ``space`` points, on this line if
        it fits, else at the start of the next (a group too wide for any line is cut
        between its pieces; a single piece too wide stands alone, cut at the edge)."""
        total = sum(width for _, width, _ in pieces)
        if self.x and self.x + space + total > self.width:
            self.newline()
        elif self.x:
            self.x += space
        for text, width, token in pieces:
            if self.x and self.x + width > self.width:
                self.newline()
            self.lines[-1].append(Item(self.x, width, text, token))
            self.x += width

    def newline(self) -> None:
        self.lines.append([])
        self.x = 0.0


class Measure:
    """Text widths in points, from matplotlib's unhinted font metrics (with fallback fonts)."""

    def __init__(self, prop: Any) -> None:
        from matplotlib.textpath import TextToPath

        self.prop = prop
        self._engine = TextToPath()
        self._widths: dict[str, float] = {}
        _, height, descent = self._engine.get_text_width_height_descent("ÁgjÉ|", prop, ismath=False)
        self.ascent = height - descent
        self.descent = descent

    def __call__(self, text: str) -> float:
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = self._engine.get_text_width_height_descent(text, self.prop, ismath=False)[0]
        return width


def _row_lines(viz: Visualization, measure: Measure, width: float) -> list[list[Item]]:
    """The tokens (the same in every row) and the text between them, wrapped to ``width``."""
    display = viz.display
    lines = Lines(width)
    space = measure(" ")
    pending: list[tuple[str, float, int | None]] = []
    pending_space = 0.0

    def flush() -> None:
        nonlocal pending, pending_space
        if pending:
            lines.place(pending, pending_space)
        pending, pending_space = [], 0.0

    def plain(text: str) -> None:
        nonlocal pending_space
        for number, line in enumerate(text.split("\n")):
            if number:
                flush()
                lines.newline()
            for word_number, word in enumerate(line.split(" ")):
                if word_number:
                    flush()
                    pending_space = space
                if word:
                    pending.append((word, measure(word), None))

    joined = display.joined.tolist()
    breaks = display.breaks.tolist()
    for index, (separator, text) in enumerate(zip(display.separators(), display.texts, strict=True)):
        if not joined[index]:
            if separator == " ":
                flush()
                pending_space = space
            elif separator:
                plain(separator)
        shown = text.removesuffix("\n")
        pending.append((shown, measure(shown) + 2 * PAD_X, index))
        if breaks[index]:
            flush()
            lines.newline()
    if display.tail:
        plain(display.tail)
    flush()
    if len(lines.lines) > 1 and not lines.lines[-1]:
        lines.lines.pop()  # a newline token at the very end adds no empty line
    return lines.lines


def _wrap_words(text: str, measure: Measure, width: float) -> list[str]:
    """Plain text wrapped between words to ``width`` points."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and measure(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def fitted(text: str, measure: Measure, limit: float) -> str:
    """``text``, or as much of its start as fits ``limit`` points followed by ``…``."""
    if measure(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest start that fits with the ellipsis
        middle = (low + high + 1) // 2
        if measure(text[:middle] + ELLIPSIS) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low] + ELLIPSIS


def legend_text(legend: Legend) -> str:
    """The colormap's name, the centre and the legend's notes, as the HTML legend says them."""
    scale = legend.scale
    centre = f", centre {format_bound(scale.center)}" if scale.center is not None else ""
    notes = "".join(f", {note}" for note in legend_notes(legend))
    return f"({legend.cmap}{centre}{notes})"


def _drawn_texts(viz: Visualization) -> Iterator[str]:
    if viz.view == "matrix":
        yield from column_headers(viz)
        yield from row_headers(viz)
    else:
        yield from (text.removesuffix("\n") for text in set(viz.display.texts))
        yield from (gap for gap in viz.display.separators())
        yield viz.display.tail
        yield from (row.label for row in viz.rows if row.label is not None)
    if viz.legend is not None:
        yield legend_text(viz.legend)


def draw_figure(viz: Visualization, width: float = DEFAULT_WIDTH) -> Any:
    """A matplotlib ``Figure`` of ``viz`` in its view (tokens or matrix), ``width`` inches
    wide (its height fits the content). Warns (one ``UserWarning``, pointing at the caller
    of :meth:`~..api.AttentionViz.save`) when a character has no glyph in any font of
    :func:`font_families`. Raises ValueError for a width outside :data:`WIDTH_RANGE`."""
    low, high = WIDTH_RANGE
    if not (isinstance(width, int | float) and low <= width <= high):
        raise ValueError(f"the width must be a number of inches from {low:g} to {high:g}, not {width!r}")
    missing = missing_glyphs(_drawn_texts(viz))
    if missing:
        warnings.warn(missing_message(missing), stacklevel=4)
    with quiet_glyphs():
        return _draw_matrix(viz, width) if viz.view == "matrix" else _draw(viz, width)


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Without matplotlib's warnings about missing glyphs (one per character, as it
    measures and again as it draws): :func:`draw_figure` gives one for them all."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support", category=UserWarning)
        yield


class Canvas:
    """A matplotlib ``Figure`` ``width`` points wide and ``height`` high, drawn on in points
    measured from its top left (what the layouts compute), each artist with its ``gid``."""

    def __init__(self, width: float, height: float, measure: Measure) -> None:
        from matplotlib.figure import Figure
        from matplotlib.transforms import Affine2D

        self.height = height
        self.measure = measure
        self.box_height = measure.ascent + measure.descent + 2 * PAD_Y
        self.figure = Figure(figsize=(width / 72.0, height / 72.0), facecolor="white")
        self.points = Affine2D().scale(1 / 72.0) + self.figure.dpi_scale_trans  # points from the bottom left

    def text(self, x: float, top: float, content: str, colour: str, gid: str | None = None) -> None:
        """``content`` from ``x``, its line's box (text and padding) starting ``top`` down."""
        baseline = self.height - top - PAD_Y - self.measure.ascent
        self.figure.text(
            x,
            baseline,
            content,
            transform=self.points,
            fontproperties=self.measure.prop,
            color=colour,
            parse_math=False,
            va="baseline",
            ha="left",
            gid=gid,
        )

    def upright_text(self, x: float, bottom: float, content: str, colour: str, gid: str | None = None) -> None:
        """``content`` turned to read upwards from ``bottom`` points down, its line centred on ``x``."""
        self.figure.text(
            x,
            self.height - bottom,
            content,
            transform=self.points,
            fontproperties=self.measure.prop,
            color=colour,
            parse_math=False,
            rotation=90,
            rotation_mode="anchor",
            va="center_baseline",
            ha="left",
            gid=gid,
        )

    def box(self, x: float, top: float, width: float, height: float | None = None, **style: Any) -> None:
        """A rectangle ``width`` by ``height`` (a text line's box by default) whose top is ``top`` down."""
        from matplotlib.patches import Rectangle

        height = self.box_height if height is None else height
        self.figure.add_artist(
            Rectangle((x, self.height - top - height), width, height, transform=self.points, **style)
        )

    def underline(self, x: float, top: float, width: float, colour: str, gid: str | None = None) -> None:
        """A line under the text of the box at ``x``, ``top``: the mark of a clipped score."""
        from matplotlib.lines import Line2D

        y = self.height - top - PAD_Y - self.measure.ascent - 1.5
        self.figure.add_artist(Line2D([x, x + width], [y, y], transform=self.points, color=colour, lw=0.75, gid=gid))

    def cells(self, boxes: list[tuple[float, float, float, float]], colours: list[str], gid: str) -> None:
        """Rectangles ``(x, top, width, height)`` filled with ``colours``, as one
        collection (one artist, drawn fast, however many cells)."""
        from matplotlib.collections import PolyCollection

        polygons = [
            [
                (x, self.height - top - height),
                (x + width, self.height - top - height),
                (x + width, self.height - top),
                (x, self.height - top),
            ]
            for x, top, width, height in boxes
        ]
        self.figure.add_artist(
            PolyCollection(
                polygons, facecolors=colours, edgecolors="none", linewidths=0, transform=self.points, gid=gid
            )
        )

    def missing_cell(self, x: float, top: float, width: float, height: float | None = None, **style: Any) -> None:
        """A missing cell's box: no fill, a dashed outline."""
        self.box(x, top, width, height, fill=False, edgecolor=TEXT_COLOUR, linestyle=(0, (3, 2)), lw=0.75, **style)


def text_measure() -> Measure:
    from matplotlib.font_manager import FontProperties

    return Measure(FontProperties(family=list(font_families()), size=FONT_SIZE))


def legend_height(legend: Legend | None, measure: Measure, width: float) -> tuple[float, list[str]]:
    """The space the legend takes under the figure (a gap, the bar's line and the lines of
    its text wrapped to ``width`` points), and those lines."""
    if legend is None:
        return 0.0, []
    lines = _wrap_words(legend_text(legend), measure, width)
    box_height = measure.ascent + measure.descent + 2 * PAD_Y
    return ROW_GAP + box_height + len(lines) * (box_height + LINE_GAP), lines


def _draw(viz: Visualization, width: float) -> Any:
    measure = text_measure()
    total = width * 72.0
    labels = [None if row.label is None else fitted(row.label, measure, total * LABEL_SHARE) for row in viz.rows]
    label_width = max((measure(label) for label in labels if label is not None), default=0.0)
    indent = label_width + LABEL_GAP if label_width else 0.0
    lines = _row_lines(viz, measure, max(total - 2 * MARGIN - indent, 1.0))
    box_height = measure.ascent + measure.descent + 2 * PAD_Y
    line_step = box_height + LINE_GAP
    row_height = len(lines) * line_step - LINE_GAP
    legend_space, legend_lines = legend_height(viz.legend, measure, total - 2 * MARGIN)
    height = 2 * MARGIN + len(viz.rows) * (row_height + ROW_GAP) - ROW_GAP + legend_space

    canvas = Canvas(total, height, measure)
    for row_number, row in enumerate(viz.rows):
        top = MARGIN + row_number * (row_height + ROW_GAP)
        if labels[row_number] is not None:
            canvas.text(MARGIN, top, labels[row_number], TEXT_COLOUR, f"attnviz-label-{row_number}")
        _draw_row(canvas, row, row_number, lines, MARGIN + indent, top)
    if viz.legend is not None:
        draw_legend(canvas, viz.legend, MARGIN + len(viz.rows) * (row_height + ROW_GAP) - ROW_GAP, legend_lines)
    return canvas.figure


def _draw_row(canvas: Canvas, row: ColouredRow, number: int, lines: list[list[Item]], left: float, top: float) -> None:
    backgrounds, foregrounds = row.backgrounds, row.foregrounds
    missing, clipped = row.missing.tolist(), row.clipped.tolist()
    line_step = canvas.box_height + LINE_GAP
    for line_number, line in enumerate(lines):
        line_top = top + line_number * line_step
        for item in line:
            x = left + item.x
            token = item.token
            if token is None:
                canvas.text(x, line_top, item.text, TEXT_COLOUR)
                continue
            gid = f"attnviz-box-{number}-{token}"
            if missing[token]:
                canvas.missing_cell(x, line_top, item.width, gid=gid)
                colour = TEXT_COLOUR
            else:
                canvas.box(x, line_top, item.width, facecolor=backgrounds[token], edgecolor="none", lw=0, gid=gid)
                colour = foregrounds[token]
            canvas.text(x + PAD_X, line_top, item.text, colour, f"attnviz-text-{number}-{token}")
            if clipped[token] and not missing[token]:
                canvas.underline(
                    x + PAD_X, line_top, item.width - 2 * PAD_X, colour, f"attnviz-clipped-{number}-{token}"
                )


def draw_legend(canvas: Canvas, legend: Legend, top: float, lines: list[str]) -> None:
    """The legend from ``top`` down: the range's bounds either side of a colour bar, then
    ``lines`` (:func:`legend_height`)."""
    from matplotlib.colors import LinearSegmentedColormap

    top += ROW_GAP
    measure = canvas.measure
    line_step = canvas.box_height + LINE_GAP
    scale = legend.scale
    low, high = format_bound(scale.vmin), format_bound(scale.vmax)
    x = MARGIN
    canvas.text(x, top, low, TEXT_COLOUR, "attnviz-legend-low")
    x += measure(low) + 4
    gradient = LinearSegmentedColormap.from_list("attnviz-legend", list(legend.stops))
    bar_top = top + (canvas.box_height - BAR_HEIGHT) / 2
    step = BAR_WIDTH / BAR_SLICES
    for index in range(BAR_SLICES):
        colour = gradient((index + 0.5) / BAR_SLICES)
        # each slice overlaps the next a little, so no seam shows between them
        width = step * (1.5 if index < BAR_SLICES - 1 else 1.0)
        canvas.box(
            x + index * step, bar_top, width, BAR_HEIGHT, facecolor=colour, lw=0, gid=f"attnviz-legend-bar-{index}"
        )
    canvas.box(x, bar_top, BAR_WIDTH, BAR_HEIGHT, fill=False, edgecolor="#666666", lw=0.5)
    x += BAR_WIDTH + 4
    canvas.text(x, top, high, TEXT_COLOUR, "attnviz-legend-high")
    for number, line in enumerate(lines):
        canvas.text(MARGIN, top + (number + 1) * line_step, line, TEXT_COLOUR, f"attnviz-legend-name-{number}")


# --- the matrix view ------------------------------------------------------------------


def _draw_matrix(viz: Visualization, width: float) -> Any:
    """The matrix view as :mod:`.matrix` draws it in HTML: column headers turned upright
    over their columns, a row label then a cell per score (its colour and, when the
    matrix has at most :data:`MAX_ANNOTATED_CELLS` cells, the score in the text colour,
    right-aligned and underlined when clipped; a missing cell blank with a dashed
    outline), cut into blocks of columns that fit ``width`` inches, one under another
    with the headers repeated; then the legend."""
    measure = text_measure()
    total = width * 72.0
    headers = [fitted(header, measure, MAX_HEADER) for header in column_headers(viz)]
    labels = [fitted(label, measure, total * LABEL_SHARE) for label in row_headers(viz)]
    annotated = len(viz.rows) * len(headers) <= MAX_ANNOTATED_CELLS
    scores = [format_scores(row.scores) for row in viz.rows] if annotated else []
    box_height = measure.ascent + measure.descent + 2 * PAD_Y
    widths = [max([box_height, *(measure(row[index]) + 2 * PAD_X for row in scores)]) for index in range(len(headers))]
    header_height = max(map(measure, headers), default=0.0) + 2 * PAD_Y
    indent = max(map(measure, labels)) + LABEL_GAP
    blocks = column_blocks(widths, max(total - 2 * MARGIN - indent, 1.0))
    block_height = header_height + len(viz.rows) * box_height
    legend_space, legend_lines = legend_height(viz.legend, measure, total - 2 * MARGIN)
    height = 2 * MARGIN + len(blocks) * (block_height + BLOCK_GAP) - BLOCK_GAP + legend_space

    canvas = Canvas(total, height, measure)
    for block_number, block in enumerate(blocks):
        top = MARGIN + block_number * (block_height + BLOCK_GAP)
        lefts = dict(
            zip(block, np.cumsum([MARGIN + indent, *(widths[index] for index in block)]).tolist(), strict=False)
        )
        for index in block:
            middle = lefts[index] + widths[index] / 2
            gid = f"attnviz-col-{index}"
            canvas.upright_text(middle, top + header_height - PAD_Y, headers[index], TEXT_COLOUR, gid)
        cells: list[tuple[float, float, float, float]] = []
        colours: list[str] = []
        for row_number, (row, label) in enumerate(zip(viz.rows, labels, strict=True)):
            row_top = top + header_height + row_number * box_height
            canvas.text(MARGIN, row_top, label, TEXT_COLOUR, f"attnviz-row-{block_number}-{row_number}")
            missing = row.missing.tolist()
            for index in block:
                if missing[index]:
                    gid = f"attnviz-missing-{row_number}-{index}"
                    canvas.missing_cell(lefts[index] + 0.5, row_top + 0.5, widths[index] - 1, box_height - 1, gid=gid)
                else:
                    cells.append((lefts[index], row_top, widths[index], box_height))
                    colours.append(row.backgrounds[index])
        canvas.cells(cells, colours, f"attnviz-cells-{block_number}")
        if annotated:
            for row_number, row in enumerate(viz.rows):
                _draw_scores(canvas, row, row_number, scores[row_number], block, lefts, widths, top + header_height)
    if viz.legend is not None:
        draw_legend(canvas, viz.legend, MARGIN + len(blocks) * (block_height + BLOCK_GAP) - BLOCK_GAP, legend_lines)
    return canvas.figure


def _draw_scores(
    canvas: Canvas,
    row: ColouredRow,
    number: int,
    scores: list[str],
    block: range,
    lefts: dict[int, float],
    widths: list[float],
    table_top: float,
) -> None:
    """Row ``number``'s scores in its cells of ``block``, right-aligned in their text
    colour, a clipped one underlined."""
    top = table_top + number * canvas.box_height
    foregrounds = row.foregrounds
    missing, clipped = row.missing.tolist(), row.clipped.tolist()
    for index in block:
        if missing[index]:
            continue
        score_width = canvas.measure(scores[index])
        x = lefts[index] + widths[index] - PAD_X - score_width
        canvas.text(x, top, scores[index], foregrounds[index], f"attnviz-score-{number}-{index}")
        if clipped[index]:
            canvas.underline(x, top, score_width, foregrounds[index], f"attnviz-clipped-{number}-{index}")


def image_format(path: str | os.PathLike[str]) -> str:
    """The format a file's suffix names (``.svg``, ``.png``, ``.pdf``); ValueError otherwise."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in IMAGE_FORMATS:
        raise ValueError(f"cannot tell the image format from {os.fspath(path)!r}: end it in .svg, .png or .pdf")
    return suffix


def save_image(
    viz: Visualization,
    file: str | os.PathLike[str] | Any,
    image_format: str,
    width: float = DEFAULT_WIDTH,
    dpi: float = DEFAULT_DPI,
) -> None:
    """Write ``viz`` (either view) as ``image_format`` (svg, png or pdf) to ``file`` (a path
    or a binary file), ``width`` inches wide; ``dpi``: a PNG's pixels per inch (its size is
    ``round(width * dpi)`` pixels wide). The same figure always gives the same bytes.
    A row label wider than :data:`LABEL_SHARE` of the width, or a column header longer
    than :data:`MAX_HEADER`, is cut with ``…``. Raises ValueError for an unknown format
    or a width outside :data:`WIDTH_RANGE`."""
    import matplotlib

    if image_format not in IMAGE_FORMATS:
        raise ValueError(f"image format must be one of {', '.join(IMAGE_FORMATS)}, not {image_format!r}")
    metadata: dict[str, Any] = {
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
        "png": {"Software": None},
    }[image_format]
    with matplotlib.rc_context(SETTINGS):
        figure = draw_figure(viz, width)
        with quiet_glyphs():
            if image_format != "svg":
                figure.savefig(file, format=image_format, dpi=dpi, metadata=metadata, facecolor="white")
                return
            drawn = io.BytesIO()
            figure.savefig(drawn, format="svg", metadata=metadata, facecolor="white")
    # spaces inside a text (a token's, a label's) are drawn as they are, not collapsed
    svg = drawn.getvalue().replace(b"<svg ", b'<svg xml:space="preserve" ', 1)
    if hasattr(file, "write"):
        file.write(svg)
    else:
        Path(file).write_bytes(svg)
