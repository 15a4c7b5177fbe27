"""The matrix view as an image (:func:`draw_matrix`), on a :class:`.canvas.Canvas`."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..visualization import ColouredRow, Visualization
from . import format_scores
from .canvas import (
    LABEL_GAP,
    LABEL_SHARE,
    MARGIN,
    PAD_X,
    PAD_Y,
    TEXT_COLOUR,
    Canvas,
    draw_legend,
    fitted,
    legend_height,
    legend_width,
    text_measure,
)
from .fonts import FONT_SIZE
from .matrix import column_blocks, column_headers, row_headers

#: The longest a column header may be (points): a longer one is cut, ``…`` at its end.
MAX_HEADER = 144.0
#: Space between two blocks of a matrix's columns (points).
BLOCK_GAP = 14.0
#: A matrix of more cells than this is drawn in colours only, without its scores as text
#: (each text costs matplotlib a few milliseconds; the HTML and text outputs give them all).
MAX_ANNOTATED_CELLS = 1000
#: In colours only, cells are squares as large as fit the width: at most a line of text
#: high, at least MIN_CELL points (below that, the columns are cut into blocks); the
#: headers' and labels' type is CELL_TYPE of a cell, at least MIN_TYPE points.
MIN_CELL = 4.0
#: The outline of a missing cell in colours only (blank, as in the table, but seen).
MISSING_HAIRLINE = "#b0b0b0"
CELL_TYPE = 0.8
MIN_TYPE = 4.0


def draw_matrix(viz: Visualization, width: float) -> Any:
    """The matrix view as :mod:`.matrix` draws it in HTML: column headers turned upright
    over their columns, a row label then a cell per score, on one colour scale; a missing
    cell blank with a dashed outline; then the legend.

    A matrix of at most :data:`MAX_ANNOTATED_CELLS` cells shows each score in its cell,
    in the text colour, right-aligned (underlined when clipped), the columns cut into
    blocks that fit ``width`` inches, one under another with the headers repeated. A
    larger one is a heatmap in colours only: square cells as large as fit the width
    (:data:`MIN_CELL`), its headers and labels in type to match. The figure is as wide as
    what it holds, ``width`` inches at most."""
    measure = text_measure()
    total = width * 72.0
    column_texts, row_texts = column_headers(viz), row_headers(viz)
    columns = range(len(column_texts))
    annotated = len(viz.rows) * len(column_texts) <= MAX_ANNOTATED_CELLS
    scores = [format_scores(row.scores) for row in viz.rows] if annotated else []
    if annotated:
        labels_measure, cell_height = measure, measure.box_height
        widths = [max([cell_height, *(measure(row[index]) + 2 * PAD_X for row in scores)]) for index in columns]
    else:
        indent = max(measure(fitted(label, measure, total * LABEL_SHARE)) for label in row_texts) + LABEL_GAP
        cell_height = max(MIN_CELL, min(measure.box_height, (total - 2 * MARGIN - indent) / len(column_texts)))
        labels_measure = text_measure(min(FONT_SIZE, max(MIN_TYPE, cell_height * CELL_TYPE)))
        widths = [cell_height] * len(column_texts)
    headers = [fitted(header, labels_measure, MAX_HEADER) for header in column_texts]
    labels = [fitted(label, labels_measure, total * LABEL_SHARE) for label in row_texts]
    header_height = max(map(labels_measure, headers), default=0.0) + 2 * PAD_Y
    indent = max(map(labels_measure, labels)) + LABEL_GAP
    blocks = column_blocks(widths, max(total - 2 * MARGIN - indent, 1.0))
    used = 2 * MARGIN + indent + max(sum(widths[index] for index in block) for block in blocks)
    figure_width = min(total, max(used, legend_width(viz.legend, measure)))
    block_height = header_height + len(viz.rows) * cell_height
    legend_space, legend_lines = legend_height(viz.legend, measure, figure_width - 2 * MARGIN)
    height = 2 * MARGIN + len(blocks) * (block_height + BLOCK_GAP) - BLOCK_GAP + legend_space

    canvas = Canvas(figure_width, height, measure)
    for block_number, block in enumerate(blocks):
        top = MARGIN + block_number * (block_height + BLOCK_GAP)
        lefts = dict(
            zip(block, np.cumsum([MARGIN + indent, *(widths[index] for index in block)]).tolist(), strict=False)
        )
        for index in block:
            middle = lefts[index] + widths[index] / 2
            gid = f"attnviz-col-{index}"
            canvas.upright_text(middle, top + header_height - PAD_Y, headers[index], TEXT_COLOUR, gid, labels_measure)
        cells: list[tuple[float, float, float, float]] = []
        colours: list[str] = []
        for row_number, (row, label) in enumerate(zip(viz.rows, labels, strict=True)):
            row_top = top + header_height + row_number * cell_height
            gid = f"attnviz-row-{block_number}-{row_number}"
            canvas.centred_text(MARGIN, row_top, cell_height, label, TEXT_COLOUR, gid, labels_measure)
            missing = row.missing.tolist()
            for index in block:
                if missing[index]:
                    gid = f"attnviz-missing-{row_number}-{index}"
                    if annotated:
                        x, y, side, high = lefts[index] + 0.5, row_top + 0.5, widths[index] - 1, cell_height - 1
                        canvas.missing_cell(x, y, side, high, gid=gid)
                    else:  # a dashed outline would be noise at this size: a hairline
                        style = {"fill": False, "edgecolor": MISSING_HAIRLINE, "lw": 0.3}
                        canvas.box(lefts[index], row_top, widths[index], cell_height, gid=gid, **style)
                else:
                    cells.append((lefts[index], row_top, widths[index], cell_height))
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
