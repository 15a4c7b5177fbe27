"""LaTeX: each token a ``\\colorbox`` with its text colour set, row labels, a legend.
A token whose score lies outside the colour range (clipped) is underlined; a token with
no score (a missing cell) is framed, with no colour.

Needs only ``xcolor`` (which ``sphinx.sty`` loads). Tokens show their display text
(:mod:`..display`). Lines may break between words, never inside one: the pieces of one
word sit in one ``\\mbox``, box against box (the inner edges give back ``\\fboxsep``), and
a token that holds a newline ends the line (``\\newline``). Text goes through
:func:`.latex_text.escape_latex`: specials escaped, TeX ligatures broken, and under
pdflatex each character it cannot typeset written as a visible code-point marker; the
fragment says which characters those were, so that a front can warn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..display import TokenDisplay
from ..visualization import ColouredRow, Legend, Visualization
from . import format_bound, legend_notes
from .latex_text import DEFAULT_ENCODINGS, escape_latex

_INNER_EDGE = "\\kern-\\fboxsep "


@dataclass
class LatexWriter:
    """Escapes text for one engine and collects the characters it had to write as markers."""

    engine: str = "pdflatex"
    #: The font encodings the document loads (pdflatex typesets what they cover).
    encodings: frozenset[str] = DEFAULT_ENCODINGS
    unsupported: set[str] = field(default_factory=set)

    def text(self, text: str) -> str:
        escaped, unsupported = escape_latex(text, self.engine, self.encodings)
        self.unsupported.update(unsupported)
        return escaped

    def plain(self, text: str) -> str:
        """Text between tokens: escaped, each newline a line break, every space kept
        (``\\null`` before those that start a line, where TeX would drop them)."""
        return "\\newline".join(
            ("\\null{}" if line.startswith(" ") else "{}") + self.text(line) for line in text.split("\n")
        )


@dataclass(frozen=True)
class LatexFragment:
    """The LaTeX source of a visualisation, and the characters written as code-point
    markers because the engine cannot typeset them (pdflatex only)."""

    source: str
    unsupported: frozenset[str]


def _colour(hex_colour: str) -> str:
    return hex_colour.lstrip("#").upper()


def token_boxes(display: TokenDisplay, row: ColouredRow, writer: LatexWriter) -> str:
    """The row's tokens as coloured boxes; a space (a possible line break) between words."""
    joined = display.joined.tolist()
    firsts, lasts = (edges.tolist() for edges in display.word_edges)
    clipped = row.clipped.tolist()
    missing = row.missing.tolist()
    parts = []
    for index, (separator, text, background, foreground) in enumerate(
        zip(display.separators(), display.texts, row.backgrounds, row.foregrounds, strict=True)
    ):
        left = _INNER_EDGE if joined[index] else ""
        right = _INNER_EDGE if (firsts[index] or joined[index]) and not lasts[index] else ""
        shown = writer.text(text.removesuffix("\n"))
        if clipped[index]:  # outside the colour range: underlined in the text colour
            shown = f"\\underline{{{shown}}}"
        box = (
            f"\\fbox{{{left}\\strut {shown}{right}}}"
            if missing[index]
            else f"\\colorbox[HTML]{{{_colour(background)}}}"
            f"{{{left}\\strut\\textcolor[HTML]{{{_colour(foreground)}}}{{{shown}}}{right}}}"
        )
        parts.append(
            _source_separator(index, separator, writer)
            + ("\\mbox{" if firsts[index] else "")
            + box
            + ("}" if lasts[index] else "")
            + ("\\newline " if text.endswith("\n") else "")
        )
    if display.tail:
        parts.append(writer.plain(display.tail))
    return "".join(parts)


def _source_separator(index: int, separator: str, writer: LatexWriter) -> str:
    """What goes before a token in the source: a line end that is a space between words,
    or one that is no space (``%``) between pieces; a row is many source lines, however
    long (TeX reads a line into a buffer of fixed size)."""
    if separator == " " and index:
        return "\n"
    return (writer.plain(separator) if separator else "") + ("%\n" if index else "")


def _legend(legend: Legend, writer: LatexWriter) -> str:
    scale = legend.scale
    bar = "".join(f"\\colorbox[HTML]{{{_colour(stop)}}}{{\\strut\\hspace{{0.6em}}}}" for stop in legend.stops)
    centre = f", centre {writer.text(format_bound(scale.center))}" if scale.center is not None else ""
    note = "".join(f", {writer.text(note)}" for note in legend_notes(legend))
    return (
        f"\\noindent{{\\small {writer.text(format_bound(scale.vmin))}\\enspace"
        f"{{\\setlength{{\\fboxsep}}{{0pt}}{bar}}}"
        f"\\enspace {writer.text(format_bound(scale.vmax))}\\quad ({writer.text(legend.cmap)}{centre}{note})}}\\par\n"
    )


def latex_fragment(
    viz: Visualization, engine: str = "pdflatex", encodings: frozenset[str] = DEFAULT_ENCODINGS
) -> LatexFragment:
    """The LaTeX for ``viz`` under ``engine`` (pdflatex, xelatex, lualatex, platex or
    uplatex; a ValueError otherwise) in a document that loads the font ``encodings``
    (:func:`.latex_text.fontenc_encodings` reads them from a ``fontenc`` line): a
    paragraph per row, then the legend."""
    if viz.view == "matrix":
        from .matrix import matrix_latex_fragment  # the matrix view imports this module

        return matrix_latex_fragment(viz, engine, encodings)
    writer = LatexWriter(engine, encodings)
    lines = ["\\par\\begingroup\\raggedright\\setlength{\\fboxsep}{1.5pt}%"]
    for row in viz.rows:
        label = f"\\textbf{{{writer.text(row.label)}}}\\quad " if row.label is not None else ""
        lines.append(f"\\noindent {label}{token_boxes(viz.display, row, writer)}\\par\\smallskip")
    if viz.legend:
        lines.append(_legend(viz.legend, writer))
    lines.append("\\endgroup\n")
    return LatexFragment("\n".join(lines), frozenset(writer.unsupported))


def unsupported_message(characters: frozenset[str], engine: str, remedy: str) -> str:
    """The warning for characters written as markers: which, and how to keep them."""
    listed = " ".join(f"{char} (U+{ord(char):04X})" for char in sorted(characters))
    return f"{engine} cannot typeset {listed}: shown as code-point markers; to keep the characters, use {remedy}"


def render_latex(viz: Visualization, engine: str = "pdflatex") -> str:
    """The LaTeX source for ``viz`` (see :func:`latex_fragment`)."""
    return latex_fragment(viz, engine).source
