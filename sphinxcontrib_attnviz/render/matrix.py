"""The matrix view (``view: matrix``): the figure's rows as a heatmap table, in HTML,
LaTeX and text.

Columns are the tokens (their display text, :mod:`..display`), rows the data's rows
(an inseq step, a Captum output token, an attention query), each cell a score on the
figure's one colour scale (:class:`~..visualization.Visualization`): the same palette
entries as the token view, so a score has the same colour in both views, light or dark.
A missing cell (NaN) is blank: no colour, marked ``attnviz-missing``, "no score".

- HTML: ``div.attnviz.attnviz-matrix`` (``role="figure"``, named as the token view is)
  holding the figure's ``<style>`` (the token view's palette rules, plus the cells'),
  a box that scrolls sideways when the table is wider than the page (a Tab stop, so
  keyboards scroll it too; a named ``group``, not a ``region``: a region is a landmark,
  and two uncaptioned matrices would be two landmarks of one name), and in it a
  ``<table>``: ``<th scope="col">`` per token, ``<th scope="row">`` per row, a ``<td>``
  per score showing the score (its ``title`` too), then the token view's legend.
- LaTeX: tabulars of ``\\cellcolor`` cells (``colortbl``) under column headers turned by
  ``\\rotatebox{90}`` (``graphicx``); ``sphinx.sty`` loads both (and ``xcolor``), a
  stand-alone document needs :data:`LATEX_PACKAGES`. A wide matrix is cut into blocks
  of columns, each block into tabulars of at most :data:`LATEX_ROWS` rows with the
  header repeated, one under another: pages break between them, inside a Sphinx
  ``figure`` float too (where a ``longtable`` cannot stand).
- text: an aligned grid, the row labels then a column per token, a score per cell
  (``—`` for missing, ``*`` after a clipped one), cut into blocks of columns at most
  :data:`TEXT_WIDTH` characters wide; then the legend line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from ..display import TokenDisplay, byte_label
from ..visualization import ColouredRow, Visualization
from . import format_scores
from .css import DARK_PAGES, ENTRY_PREFIX, FOLLOWING_PAGES
from .html import (
    CLIPPED_CLASS,
    CLIPPED_NOTE,
    MISSING_CLASS,
    MISSING_TITLE,
    _legend_div,
    escape_text,
    figure_name,
    figure_opening,
)
from .latex import LatexFragment, LatexWriter, _colour
from .latex import _legend as latex_legend
from .latex_text import DEFAULT_ENCODINGS
from .text import PLAIN, TextMarkup, legend_line

MATRIX_CLASS = "attnviz-matrix"
CELL_CLASS = "attnviz-cell"
#: A row's header when the data gives it no label (a single unnamed row).
DEFAULT_ROW_LABEL = "scores"

#: The cells' colours, as the token view's tokens take theirs from the palette rules
#: (:mod:`.css`), and the words a screen reader reads in a missing cell, hidden on screen.
_CELL_RULES = (
    f".{CELL_CLASS}{{background-color:var(--av-bg);color:var(--av-fg)}}"
    ".attnviz-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}"
    ".attnviz-matrix-scroll{position:relative;overflow-x:auto}"
)
_DARK_CELL = "{pages} .attnviz-cell{{background-color:var(--av-dark-bg);color:var(--av-dark-fg)}}"
MATRIX_RULES = (
    _CELL_RULES
    + "@media screen{"
    + _DARK_CELL.format(pages=f":is({','.join(DARK_PAGES)})")
    + "}@media screen and (prefers-color-scheme:dark){"
    + _DARK_CELL.format(pages=f":is({','.join(FOLLOWING_PAGES)})")
    + "}"
)
_HIDDEN_INLINE = (
    ' style="position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap"'
)


def column_headers(viz: Visualization) -> list[str]:
    """Each token's display text on one line (a newline token shows its ``↵``); a piece
    that shows nothing alone (the first bytes of a split character) shows its bytes,
    ``<0xEF>`` (:func:`..display.byte_label`)."""
    return _headers(viz.tokens, viz.display)


def row_headers(viz: Visualization) -> list[str]:
    """Each row's token, as :func:`column_headers` shows a token, for a row that stands for
    one (:attr:`~..visualization.Visualization.row_tokens`); else its label
    (:data:`DEFAULT_ROW_LABEL` for an unnamed row)."""
    labels = [row.label if row.label is not None else DEFAULT_ROW_LABEL for row in viz.rows]
    if viz.row_tokens is None or viz.row_display is None:
        return labels
    shown = iter(_headers([token for token in viz.row_tokens if token is not None], viz.row_display))
    return [label if token is None else next(shown) for label, token in zip(labels, viz.row_tokens, strict=True)]


def _headers(tokens: Sequence[str], display: TokenDisplay) -> list[str]:
    return [
        byte_label(token, display.scheme) if index in display.notes and not text else text.removesuffix("\n")
        for index, (token, text) in enumerate(zip(tokens, display.texts, strict=True))
    ]


def cell_titles(row: ColouredRow) -> list[str]:
    """Each cell's tooltip: its score (and the score as given, when normalised), the
    clipped note, or "no score"."""
    titles = format_scores(row.scores)
    if row.raw_scores is not None:
        titles = [
            f"{title} (given {given})" for title, given in zip(titles, format_scores(row.raw_scores), strict=True)
        ]
    for index in np.flatnonzero(row.clipped).tolist():
        titles[index] += CLIPPED_NOTE
    for index in np.flatnonzero(row.missing).tolist():
        titles[index] = MISSING_TITLE
    return titles


# --- HTML ---------------------------------------------------------------------------------


def iter_matrix_html(
    viz: Visualization,
    classes: Iterable[str] = (),
    name: str | None = None,
    inline_colours: bool = False,
    ids: Sequence[str] = (),
) -> Iterator[str]:
    """The matrix fragment in pieces (a row of the table each); the arguments as
    :func:`.html.render_html`'s."""
    yield from figure_opening(viz, [MATRIX_CLASS, *viz.classes, *classes], name, inline_colours, ids, MATRIX_RULES)
    label = figure_name(name)
    scroll_style = ' style="position: relative; overflow-x: auto"' if inline_colours else ""
    yield (
        f'<div class="attnviz-matrix-scroll" tabindex="0" role="group" aria-label="{label}"{scroll_style}>'
        f'<table class="attnviz-table" aria-label="{label}"><thead><tr><td class="attnviz-corner"></td>'
    )
    yield "".join(
        f'<th scope="col" class="attnviz-col"><span>{escape_text(text)}</span></th>' for text in column_headers(viz)
    )
    yield "</tr></thead><tbody>"
    for row, row_label in zip(viz.rows, row_headers(viz), strict=True):
        head = f'<th scope="row" class="attnviz-row-head">{escape_text(row_label)}</th>'
        yield f"<tr>{head}{_cells(row, inline_colours)}</tr>"
    yield "</tbody></table></div>"
    if viz.legend:
        yield _legend_div(viz.legend, inline_colours)
    yield "</div>"


def _cells(row: ColouredRow, inline_colours: bool) -> str:
    """A ``<td>`` per score: its palette entry's class (or, inline, its colours), the score
    as title and text; a missing cell has no colour and says "no score" to screen readers."""
    scores = format_scores(row.scores)
    titles = cell_titles(row)
    clipped = row.clipped.tolist()
    missing = row.missing.tolist()
    backgrounds, foregrounds = row.palette.backgrounds, row.palette.foregrounds
    cells = []
    for index, entry in enumerate(row.colour_index.tolist()):
        if missing[index]:
            style = ' style="outline: 1px dashed; outline-offset: -1px"' if inline_colours else ""
            hidden = _HIDDEN_INLINE if inline_colours else ""
            cells.append(
                f'<td class="{CELL_CLASS} {MISSING_CLASS}" title="{MISSING_TITLE}"{style}>'
                f'<span class="attnviz-hidden"{hidden}>{MISSING_TITLE}</span></td>'
            )
            continue
        style = (
            f' style="background-color: {backgrounds[entry]}; color: {foregrounds[entry]}"' if inline_colours else ""
        )
        extra = f" {CLIPPED_CLASS}" if clipped[index] else ""
        cells.append(
            f'<td class="{CELL_CLASS} {ENTRY_PREFIX}{entry}{extra}" title="{escape_text(titles[index])}"{style}>'
            f"{scores[index]}</td>"
        )
    return "".join(cells)


def render_matrix_html(
    viz: Visualization,
    classes: Iterable[str] = (),
    name: str | None = None,
    inline_colours: bool = False,
    ids: Sequence[str] = (),
) -> str:
    return "".join(iter_matrix_html(viz, classes, name, inline_colours, ids))


# --- LaTeX --------------------------------------------------------------------------------

#: What the LaTeX needs besides ``xcolor``: ``sphinx.sty`` loads them (Sphinx >= 7.4).
LATEX_PACKAGES = ("colortbl", "graphicx")
#: Rows per tabular: a block of columns is a column of such tabulars, pages breaking between.
LATEX_ROWS = 30
#: For cutting a wide matrix into blocks of columns: the width a block may take, and an
#: estimate of a character's width in the table's ``\scriptsize`` (7pt under a 10pt body,
#: Sphinx's default; digits are half an em), in points.
LATEX_WIDTH_PT = 420.0
_LATEX_CHAR_PT = 3.6
_LATEX_COLUMN_GAP_PT = 4.0  # 2 * \tabcolsep


def latex_columns(viz: Visualization) -> list[range]:
    """The blocks of columns the LaTeX table is cut into, each about :data:`LATEX_WIDTH_PT` wide."""
    label_chars = max(len(label) for label in row_headers(viz)) * 1.1  # bold
    scores = [format_scores(row.scores) for row in viz.rows]
    widths = [max(len(row[index]) for row in scores) for index in range(len(viz.display))]
    available = LATEX_WIDTH_PT - label_chars * _LATEX_CHAR_PT - _LATEX_COLUMN_GAP_PT
    return column_blocks([width * _LATEX_CHAR_PT + _LATEX_COLUMN_GAP_PT for width in widths], max(available, 60.0))


def column_blocks(widths: Sequence[float], available: float) -> list[range]:
    """Consecutive ranges of ``widths`` each summing to at most ``available`` (at least one
    each): the blocks of columns a wide matrix is cut into (LaTeX, text, images)."""
    blocks = []
    start, used = 0, 0.0
    for index, width in enumerate(widths):
        if index > start and used + width > available:
            blocks.append(range(start, index))
            start, used = index, 0.0
        used += width
    blocks.append(range(start, len(widths)))
    return blocks


def latex_matrix(viz: Visualization, writer: LatexWriter) -> str:
    """The LaTeX of the matrix: blocks of columns, each a column of tabulars; the legend."""
    headers = [f"\\rotatebox{{90}}{{\\strut {writer.text(text)}}}" for text in column_headers(viz)]
    labels = [f"\\textbf{{{writer.text(label)}}}" for label in row_headers(viz)]
    rows = [_latex_cells(row, writer) for row in viz.rows]
    lines = [
        "\\par\\begingroup\\scriptsize\\setlength{\\tabcolsep}{2pt}\\renewcommand{\\arraystretch}{1.2}"
        "\\setlength{\\fboxsep}{1.5pt}%"
    ]
    for columns in latex_columns(viz):
        header = " & ".join(["", *(headers[index] for index in columns)]) + " \\\\"
        for start in range(0, len(rows), LATEX_ROWS):
            lines.append(f"\\noindent\\begin{{tabular}}{{@{{}}l*{{{len(columns)}}}{{r}}@{{}}}}")
            lines.append(header)
            for label, cells in zip(labels[start : start + LATEX_ROWS], rows[start : start + LATEX_ROWS], strict=True):
                lines.append(" & ".join([label, *(cells[index] for index in columns)]) + " \\\\")
            lines.append("\\end{tabular}\\par\\medskip")
    lines.append("\\endgroup\\par")
    if viz.legend:
        lines.append(latex_legend(viz.legend, writer))
    return "\n".join(lines) + "\n"


def matrix_latex_fragment(
    viz: Visualization, engine: str = "pdflatex", encodings: frozenset[str] = DEFAULT_ENCODINGS
) -> LatexFragment:
    """:func:`.latex.latex_fragment` for the matrix view."""
    writer = LatexWriter(engine, encodings)
    return LatexFragment(latex_matrix(viz, writer), frozenset(writer.unsupported))


def _latex_cells(row: ColouredRow, writer: LatexWriter) -> list[str]:
    """A cell per score: its colour (``\\cellcolor``), the score in the text colour
    (underlined when clipped); a missing cell empty."""
    scores = format_scores(row.scores)
    clipped = row.clipped.tolist()
    missing = row.missing.tolist()
    cells = []
    for index, (background, foreground) in enumerate(zip(row.backgrounds, row.foregrounds, strict=True)):
        if missing[index]:
            cells.append("")
            continue
        shown = writer.text(scores[index])
        if clipped[index]:
            shown = f"\\underline{{{shown}}}"
        cells.append(f"\\cellcolor[HTML]{{{_colour(background)}}}\\textcolor[HTML]{{{_colour(foreground)}}}{{{shown}}}")
    return cells


# --- text ---------------------------------------------------------------------------------

#: The widest a block of the text grid may be, in columns of a terminal.
TEXT_WIDTH = 100
#: The same for outputs read on an 80-column terminal or a printed page, with their own
#: indent: man pages, Texinfo, MyST-MD's LaTeX without colortbl.
NARROW_TEXT_WIDTH = 70
CLIPPED_MARK = "*"
CLIPPED_FOOTNOTE = f"{CLIPPED_MARK} outside the colour range: clipped"
_GAP = 2


def text_width(text: str) -> int:
    """How many terminal columns ``text`` takes: wide (CJK) characters two, combining ones none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - text_width(text))
    return fill + text if right else text + fill


def matrix_text_lines(viz: Visualization, markup: TextMarkup = PLAIN, width: int = TEXT_WIDTH) -> list[str]:
    """The grid (:func:`matrix_grid`), each line whole (``markup.unbroken``), then its notes
    (:func:`matrix_notes`)."""
    grid = [markup.line(markup.unbroken(line)) if line else line for line in matrix_grid(viz, width)]
    return grid + [markup.line(markup.plain(note)) for note in matrix_notes(viz)]


def matrix_grid(viz: Visualization, width: int = TEXT_WIDTH) -> list[str]:
    """The aligned grid, block by block of columns at most ``width`` characters wide (a
    blank line between blocks): the headers' line, then a line per row."""
    headers = column_headers(viz)
    labels = row_headers(viz)
    cells = [
        [
            score + (CLIPPED_MARK if clipped else "")
            for score, clipped in zip(format_scores(row.scores), row.clipped.tolist(), strict=True)
        ]
        for row in viz.rows
    ]
    label_width = max(map(text_width, labels))
    widths = [max(text_width(headers[index]), *(len(row[index]) for row in cells)) for index in range(len(headers))]
    grid: list[str] = []
    for block in column_blocks([column + _GAP for column in widths], max(width - label_width, 1)):
        if grid:
            grid.append("")
        parts = [_pad("", label_width, False)] + [_pad(headers[index], widths[index], True) for index in block]
        grid.append((" " * _GAP).join(parts).rstrip())
        for label, row in zip(labels, cells, strict=True):
            parts = [_pad(label, label_width, False)] + [_pad(row[index], widths[index], True) for index in block]
            grid.append((" " * _GAP).join(parts).rstrip())
    return grid


def matrix_notes(viz: Visualization) -> list[str]:
    """What follows the grid, as prose: the note on clipped scores (if any), the legend line."""
    notes = [CLIPPED_FOOTNOTE] if any(row.clipped.any() for row in viz.rows) else []
    return notes + ([legend_line(viz)] if viz.legend else [])


__all__ = [
    "LATEX_PACKAGES",
    "column_blocks",
    "column_headers",
    "iter_matrix_html",
    "latex_matrix",
    "matrix_grid",
    "matrix_latex_fragment",
    "matrix_notes",
    "matrix_text_lines",
    "render_matrix_html",
    "row_headers",
]
