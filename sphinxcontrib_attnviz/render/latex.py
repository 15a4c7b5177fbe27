"""LaTeX: each token a ``\\colorbox`` with its text colour set, row labels, a legend.

Needs only ``xcolor`` (which ``sphinx.sty`` loads). Lines may break between words,
never inside one; subword pieces of one word sit box against box. Text goes through
``escape``: Sphinx passes its own translator's, which also handles non-ASCII text.
"""

from __future__ import annotations

from collections.abc import Callable

from ..visualization import ColouredRow, Legend, Visualization
from . import format_bound

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
}
_SPECIALS_TABLE = str.maketrans(_SPECIALS)


def escape_latex(text: str) -> str:
    """``text`` with LaTeX's special characters escaped (ASCII; other text passes as is)."""
    return text.translate(_SPECIALS_TABLE)


def _colour(hex_colour: str) -> str:
    return hex_colour.lstrip("#").upper()


def token_boxes(viz: Visualization, row: ColouredRow, escape: Callable[[str], str]) -> str:
    """The row's tokens as coloured boxes; a space (a possible line break) between words."""
    parts = []
    for index, (piece, joins, background, foreground) in enumerate(
        zip(viz.pieces, viz.joins, row.backgrounds, row.foregrounds, strict=True)
    ):
        separator = "" if joins or index == 0 else " "
        parts.append(
            f"{separator}\\colorbox[HTML]{{{_colour(background)}}}"
            f"{{\\strut\\textcolor[HTML]{{{_colour(foreground)}}}{{{escape(piece)}}}}}"
        )
    return "".join(parts)


def _legend(legend: Legend, escape: Callable[[str], str]) -> str:
    scale = legend.scale
    bar = "".join(f"\\colorbox[HTML]{{{_colour(stop)}}}{{\\strut\\hspace{{0.6em}}}}" for stop in legend.stops)
    centre = f", centre {escape(format_bound(scale.center))}" if scale.center is not None else ""
    return (
        f"\\noindent{{\\small {escape(format_bound(scale.vmin))}\\enspace"
        f"{{\\setlength{{\\fboxsep}}{{0pt}}{bar}}}"
        f"\\enspace {escape(format_bound(scale.vmax))}\\quad ({escape(legend.cmap)}{centre})}}\\par\n"
    )


def render_latex(viz: Visualization, escape: Callable[[str], str] = escape_latex) -> str:
    """The LaTeX for ``viz``: a paragraph per row, then the legend."""
    lines = ["\\par\\begingroup\\raggedright\\setlength{\\fboxsep}{1.5pt}%"]
    for row in viz.rows:
        label = f"\\textbf{{{escape(row.label)}}}\\quad " if row.label is not None else ""
        lines.append(f"\\noindent {label}{token_boxes(viz, row, escape)}\\par\\smallskip")
    if viz.legend:
        lines.append(_legend(viz.legend, escape))
    lines.append("\\endgroup\n")
    return "\n".join(lines)
