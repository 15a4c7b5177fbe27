"""Images: the token view drawn with matplotlib as an SVG, PNG or PDF file.

The figure is ``width`` inches wide (its height is what the text needs). Each row, its
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

Fonts: DejaVu Sans, then the CJK fonts found on the machine (:data:`FONT_FAMILIES`) as
fallbacks. A character none of them has is drawn as the font's missing-glyph box, with
one ``UserWarning`` naming the characters (:func:`missing_glyphs`); it never fails.

Every format is deterministic: the SVG keeps text as text (``svg.fonttype: none``,
selectable and searchable), holds no external reference, and has no date and fixed ids
(``svg.hashsalt``); the PDF has no creation date.
"""

from __future__ import annotations

import os
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..visualization import ColouredRow, Legend, Visualization
from . import format_bound, legend_notes

#: The formats :func:`save_image` writes, by file suffix.
IMAGE_FORMATS = ("svg", "png", "pdf")
#: The default width in inches (about a page's text width, or a slide's half).
DEFAULT_WIDTH = 8.0
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


def legend_text(legend: Legend) -> str:
    """The colormap's name, the centre and the legend's notes, as the HTML legend says them."""
    scale = legend.scale
    centre = f", centre {format_bound(scale.center)}" if scale.center is not None else ""
    notes = "".join(f", {note}" for note in legend_notes(legend))
    return f"({legend.cmap}{centre}{notes})"


def _drawn_texts(viz: Visualization) -> Iterator[str]:
    yield from (text.removesuffix("\n") for text in set(viz.display.texts))
    yield from (gap for gap in viz.display.separators())
    yield viz.display.tail
    yield from (row.label for row in viz.rows if row.label is not None)
    if viz.legend is not None:
        yield legend_text(viz.legend)


def draw_figure(viz: Visualization, width: float = DEFAULT_WIDTH) -> Any:
    """A matplotlib ``Figure`` of ``viz``'s token view, ``width`` inches wide (its height
    fits the content). Warns (one ``UserWarning``) when a character has no glyph in any
    font of :func:`font_families`."""
    if not width > 0:
        raise ValueError(f"the width must be a positive number of inches, not {width!r}")
    missing = missing_glyphs(_drawn_texts(viz))
    if missing:
        warnings.warn(missing_message(missing), stacklevel=3)
    with quiet_glyphs():
        return _draw(viz, width)


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Without matplotlib's warnings about missing glyphs (one per character, as it
    measures and again as it draws): :func:`draw_figure` gives one for them all."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support", category=UserWarning)
        yield


def _draw(viz: Visualization, width: float) -> Any:
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Affine2D

    prop = FontProperties(family=list(font_families()), size=FONT_SIZE)
    measure = Measure(prop)
    total = width * 72.0
    labels = [row.label for row in viz.rows if row.label is not None]
    label_width = max(map(measure, labels), default=0.0)
    indent = label_width + LABEL_GAP if labels else 0.0
    lines = _row_lines(viz, measure, max(total - 2 * MARGIN - indent, 1.0))
    box_height = measure.ascent + measure.descent + 2 * PAD_Y
    line_step = box_height + LINE_GAP
    row_height = len(lines) * line_step - LINE_GAP
    legend_lines = _wrap_words(legend_text(viz.legend), measure, total - 2 * MARGIN) if viz.legend else []
    legend_height = (ROW_GAP + box_height + len(legend_lines) * line_step) if viz.legend else 0.0
    height = 2 * MARGIN + len(viz.rows) * (row_height + ROW_GAP) - ROW_GAP + legend_height

    figure = Figure(figsize=(width, height / 72.0), facecolor="white")
    points = Affine2D().scale(1 / 72.0) + figure.dpi_scale_trans  # points from the bottom left

    def text(x: float, top: float, content: str, colour: str, gid: str | None = None) -> None:
        """``content`` with its line's top ``top`` points from the figure's top."""
        baseline = height - top - PAD_Y - measure.ascent
        figure.text(
            x,
            baseline,
            content,
            transform=points,
            fontproperties=prop,
            color=colour,
            parse_math=False,
            va="baseline",
            ha="left",
            gid=gid,
        )

    def box(x: float, top: float, item_width: float, item_height: float = box_height, **style: Any) -> None:
        """A rectangle whose top is ``top`` points from the figure's top."""
        figure.add_artist(
            Rectangle((x, height - top - item_height), item_width, item_height, transform=points, **style)
        )

    top = MARGIN
    for row_number, row in enumerate(viz.rows):
        if row.label is not None:
            text(MARGIN, top, row.label, TEXT_COLOUR, f"attnviz-label-{row_number}")
        _draw_row(row, row_number, lines, MARGIN + indent, top, line_step, text, box, figure, points, measure, height)
        top += row_height + ROW_GAP
    if viz.legend is not None:
        _draw_legend(viz.legend, top, measure, text, box, line_step, legend_lines, box_height)
    return figure


def _draw_row(
    row: ColouredRow,
    number: int,
    lines: list[list[Item]],
    left: float,
    top: float,
    line_step: float,
    text: Any,
    box: Any,
    figure: Any,
    points: Any,
    measure: Measure,
    height: float,
) -> None:
    from matplotlib.lines import Line2D

    backgrounds, foregrounds = row.backgrounds, row.foregrounds
    missing, clipped = row.missing.tolist(), row.clipped.tolist()
    for line_number, line in enumerate(lines):
        line_top = top + line_number * line_step
        for item in line:
            x = left + item.x
            token = item.token
            if token is None:
                text(x, line_top, item.text, TEXT_COLOUR)
                continue
            gid = f"attnviz-box-{number}-{token}"
            if missing[token]:
                box(x, line_top, item.width, fill=False, edgecolor=TEXT_COLOUR, linestyle=(0, (3, 2)), lw=0.75, gid=gid)
                colour = TEXT_COLOUR
            else:
                box(x, line_top, item.width, facecolor=backgrounds[token], edgecolor="none", lw=0, gid=gid)
                colour = foregrounds[token]
            text(x + PAD_X, line_top, item.text, colour, f"attnviz-text-{number}-{token}")
            if clipped[token] and not missing[token]:
                underline = height - line_top - PAD_Y - measure.ascent - 1.5
                figure.add_artist(
                    Line2D(
                        [x + PAD_X, x + item.width - PAD_X],
                        [underline, underline],
                        transform=points,
                        color=colour,
                        lw=0.75,
                        gid=f"attnviz-clipped-{number}-{token}",
                    )
                )


def _draw_legend(
    legend: Legend,
    top: float,
    measure: Measure,
    text: Any,
    box: Any,
    line_step: float,
    lines: list[str],
    box_height: float,
) -> None:
    from matplotlib.colors import LinearSegmentedColormap

    scale = legend.scale
    low, high = format_bound(scale.vmin), format_bound(scale.vmax)
    x = MARGIN
    text(x, top, low, TEXT_COLOUR, "attnviz-legend-low")
    x += measure(low) + 4
    gradient = LinearSegmentedColormap.from_list("attnviz-legend", list(legend.stops))
    bar_top = top + (box_height - BAR_HEIGHT) / 2
    step = BAR_WIDTH / BAR_SLICES
    for index in range(BAR_SLICES):
        colour = gradient((index + 0.5) / BAR_SLICES)
        # each slice overlaps the next a little, so no seam shows between them
        width = step * (1.5 if index < BAR_SLICES - 1 else 1.0)
        box(x + index * step, bar_top, width, BAR_HEIGHT, facecolor=colour, lw=0, gid=f"attnviz-legend-bar-{index}")
    box(x, bar_top, BAR_WIDTH, BAR_HEIGHT, fill=False, edgecolor="#666666", lw=0.5)
    x += BAR_WIDTH + 4
    text(x, top, high, TEXT_COLOUR, "attnviz-legend-high")
    for number, line in enumerate(lines):
        text(MARGIN, top + (number + 1) * line_step, line, TEXT_COLOUR, f"attnviz-legend-name-{number}")


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
    """Write ``viz``'s token view as ``image_format`` (svg, png or pdf) to ``file`` (a path
    or a binary file), ``width`` inches wide; ``dpi``: a PNG's pixels per inch (its size is
    ``round(width * dpi)`` pixels wide). The same figure always gives the same bytes.
    Raises ValueError for the matrix view, which has no image yet."""
    import matplotlib

    if viz.view != "tokens":
        raise ValueError(f"an image draws the tokens view only: no image of the {viz.view} view yet")

    if image_format not in IMAGE_FORMATS:
        raise ValueError(f"image format must be one of {', '.join(IMAGE_FORMATS)}, not {image_format!r}")
    metadata: dict[str, Any] = {
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
        "png": {"Software": None},
    }[image_format]
    settings = {"svg.fonttype": "none", "svg.hashsalt": SALT, "pdf.fonttype": 42, "path.simplify": False}
    with matplotlib.rc_context(settings):
        figure = draw_figure(viz, width)
        with quiet_glyphs():
            figure.savefig(file, format=image_format, dpi=dpi, metadata=metadata, facecolor="white")
