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
    text_measure,
)
from .matrix import column_blocks, column_headers, row_headers

MAX_HEADER = 144.0
#: Space between two blocks of a matrix's columns (points).
BLOCK_GAP = 14.0
#: A matrix of more cells than this is drawn in colours only, without its scores as text
#: (each text costs matplotlib a few milliseconds; the HTML and text outputs give them all).
MAX_ANNOTATED_CELLS = 1000


def draw_matrix(viz: Visualization, width: float) -> Any:
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
    box_height = measure.box_height
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
