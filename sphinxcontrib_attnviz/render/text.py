"""Plain text for text-like outputs (text, man, texinfo): every token with its score.

``label: wow[0.03613] great[0.2670]``, one line per row, then the legend as a line.
Subword pieces that continue a word follow it with no space: ``check[0.01]point[0.02]``.
"""

from __future__ import annotations

from ..visualization import ColouredRow, Visualization
from . import format_bound, format_score


def row_line(viz: Visualization, row: ColouredRow) -> str:
    """One row: its label, then each piece with its score in brackets."""
    words = []
    for index, (piece, joins, score, clipped) in enumerate(
        zip(viz.pieces, viz.joins, row.scores, row.clipped, strict=True)
    ):
        separator = "" if joins or index == 0 else " "
        words.append(f"{separator}{piece}[{format_score(score)}{' clipped' if clipped else ''}]")
    label = f"{row.label}: " if row.label is not None else ""
    return label + "".join(words)


def words_line(viz: Visualization, row: ColouredRow) -> str:
    """One row without scores: its label, then the tokens as words (for search and plain fallbacks)."""
    words = "".join(
        piece if joins or index == 0 else " " + piece
        for index, (piece, joins) in enumerate(zip(viz.pieces, viz.joins, strict=True))
    )
    return f"{row.label}: {words}" if row.label is not None else words


def legend_line(viz: Visualization) -> str:
    """The colour scale in words."""
    scale = viz.scale
    centre = f", centre {format_bound(scale.center)}" if scale.center is not None else ""
    return f"colour scale: {viz.cmap} from {format_bound(scale.vmin)} to {format_bound(scale.vmax)}{centre}"


def render_text_lines(viz: Visualization) -> list[str]:
    """The rows, then the legend line if the visualisation has a legend."""
    lines = [row_line(viz, row) for row in viz.rows]
    if viz.legend:
        lines.append(legend_line(viz))
    return lines


def render_text(viz: Visualization) -> str:
    return "\n".join(render_text_lines(viz)) + "\n"
