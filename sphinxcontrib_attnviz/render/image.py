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
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..visualization import ColouredRow, Visualization
from .canvas import (
    LABEL_GAP,
    LABEL_SHARE,
    LINE_GAP,
    MARGIN,
    PAD_X,
    ROW_GAP,
    TEXT_COLOUR,
    Canvas,
    Measure,
    draw_legend,
    fitted,
    legend_height,
    legend_text,
    text_measure,
)
from .fonts import missing_glyphs, missing_message, quiet_glyphs
from .matrix import column_headers, row_headers

#: The formats :func:`save_image` writes, by file suffix.
IMAGE_FORMATS = ("svg", "png", "pdf")
#: The default width in inches (about a page's text width, or a slide's half).
DEFAULT_WIDTH = 8.0
#: The narrowest and widest a figure may be, in inches: room for a row label, a column
#: of scores and the legend's colour bar; a size matplotlib can save.
WIDTH_RANGE = (3.0, 100.0)
#: The default resolution of a PNG, in pixels per inch.
DEFAULT_DPI = 150
SALT = "attnviz"
#: The matplotlib settings every image is drawn and saved with: the SVG's text as text,
#: its ids fixed, the PDF's fonts TrueType, paths exactly as drawn.
SETTINGS = {"svg.fonttype": "none", "svg.hashsalt": SALT, "pdf.fonttype": 42, "path.simplify": False}


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
        if viz.view == "matrix":
            from .matrix_image import draw_matrix  # it draws on this module's canvas

            return draw_matrix(viz, width)
        return _draw(viz, width)


def _draw(viz: Visualization, width: float) -> Any:
    measure = text_measure()
    total = width * 72.0
    labels = [None if row.label is None else fitted(row.label, measure, total * LABEL_SHARE) for row in viz.rows]
    label_width = max((measure(label) for label in labels if label is not None), default=0.0)
    indent = label_width + LABEL_GAP if label_width else 0.0
    lines = _row_lines(viz, measure, max(total - 2 * MARGIN - indent, 1.0))
    box_height = measure.box_height
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
