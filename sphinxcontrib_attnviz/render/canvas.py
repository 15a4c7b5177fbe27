"""Drawing on a matplotlib figure in points from its top left: text measured by
matplotlib's own font machinery, boxes, cells, the legend; what the token view's and the
matrix view's images (:mod:`.image`, :mod:`.matrix_image`) are made of.
"""

from __future__ import annotations

from typing import Any

from ..visualization import Legend
from . import format_bound, legend_notes
from .fonts import FONT_SIZE, font_families

#: The most of the width a row label may take, and the longest a column header may be
#: (points): a longer one is cut, ``…`` at its end (the HTML and text outputs keep it whole).
LABEL_SHARE = 0.35
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
ELLIPSIS = "\u2026"


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
        #: The height of a box around a line of text (a token's, a cell's).
        self.box_height = self.ascent + self.descent + 2 * PAD_Y

    def __call__(self, text: str) -> float:
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = self._engine.get_text_width_height_descent(text, self.prop, ismath=False)[0]
        return width


def text_measure(size: float = FONT_SIZE) -> Measure:
    """The measure of the images' text: ``size`` points (:data:`.fonts.FONT_SIZE` unless
    smaller type is needed), in the families of :func:`.fonts.font_families`."""
    from matplotlib.font_manager import FontProperties

    return Measure(FontProperties(family=list(font_families()), size=size))


class Canvas:
    """A matplotlib ``Figure`` ``width`` points wide and ``height`` high, drawn on in points
    measured from its top left (what the layouts compute), each artist with its ``gid``."""

    def __init__(self, width: float, height: float, measure: Measure) -> None:
        from matplotlib.figure import Figure
        from matplotlib.transforms import Affine2D

        self.height = height
        self.measure = measure
        self.box_height = measure.box_height
        self.figure = Figure(figsize=(width / 72.0, height / 72.0), facecolor="white")
        self.points = Affine2D().scale(1 / 72.0) + self.figure.dpi_scale_trans  # points from the bottom left

    def text(
        self, x: float, top: float, content: str, colour: str, gid: str | None = None, measure: Measure | None = None
    ) -> None:
        """``content`` from ``x``, its line's box (text and padding) starting ``top`` down;
        in ``measure``'s type (the canvas's by default)."""
        measure = measure or self.measure
        self._text(x, self.height - top - PAD_Y - measure.ascent, content, colour, gid, measure)

    def centred_text(
        self, x: float, top: float, height: float, content: str, colour: str, gid: str, measure: Measure
    ) -> None:
        """``content`` from ``x``, centred in a line ``height`` points high starting ``top`` down."""
        baseline = self.height - top - (height + measure.ascent - measure.descent) / 2
        self._text(x, baseline, content, colour, gid, measure)

    def upright_text(
        self, x: float, bottom: float, content: str, colour: str, gid: str | None = None, measure: Measure | None = None
    ) -> None:
        """``content`` turned to read upwards from ``bottom`` points down, its line centred on ``x``."""
        placement = {"rotation": 90, "rotation_mode": "anchor", "va": "center_baseline"}
        self._text(x, self.height - bottom, content, colour, gid, measure or self.measure, **placement)

    def _text(
        self, x: float, y: float, content: str, colour: str, gid: str | None, measure: Measure, **placement: Any
    ) -> None:
        """``content`` at ``x``, ``y`` points from the bottom left, never read as mathtext."""
        self.figure.text(
            x,
            y,
            content,
            transform=self.points,
            fontproperties=measure.prop,
            color=colour,
            parse_math=False,
            **{"va": "baseline", "ha": "left", **placement},
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


def wrap_words(text: str, measure: Measure, width: float) -> list[str]:
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


def legend_height(legend: Legend | None, measure: Measure, width: float) -> tuple[float, list[str]]:
    """The space the legend takes under the figure (a gap, the bar's line and the lines of
    its text wrapped to ``width`` points), and those lines."""
    if legend is None:
        return 0.0, []
    lines = wrap_words(legend_text(legend), measure, width)
    box_height = measure.box_height
    return ROW_GAP + box_height + len(lines) * (box_height + LINE_GAP), lines


def legend_width(legend: Legend | None, measure: Measure) -> float:
    """The width the legend's bar line takes (the range's bounds either side of the bar),
    with the figure's margins: the narrowest a figure with this legend may be."""
    if legend is None:
        return 0.0
    low, high = format_bound(legend.scale.vmin), format_bound(legend.scale.vmax)
    return 2 * MARGIN + measure(low) + 4 + BAR_WIDTH + 4 + measure(high)


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
