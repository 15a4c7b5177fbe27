"""Plain text for text-like outputs (text, man, texinfo): every token with its score.

``label: wow[0.03613] great[0.2670]``, a line per row, then the legend as a line.
Tokens show their display text (:mod:`..display`); subword pieces that continue a word
follow it with no space: ``check[0.01]point[0.02]``. A token that holds a newline ends
its line (``↵[0.5]``); the row goes on under its first token (a line break after the
row's last token ends the row, and adds no empty line).

The display model writes every other control and line-separating character as a
stand-in (``␍``, ``␋``, ``\\u2028``), so the only line breaks in the output are the
model's: ``str.splitlines()`` of a row gives its lines, however the tokens were spelt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..display import TokenDisplay, inline
from ..visualization import ColouredRow, Visualization
from . import format_bound, format_score, legend_notes


def _as_is(text: str) -> str:
    return text


@dataclass(frozen=True)
class TextMarkup:
    """How a text-like output writes a row: its plain text (text between tokens, the
    legend), a token's display text, plain text that is never broken across lines (a
    score note ``[0.2469 clipped]``, the row's label), a line break that goes on under
    the first token (given the label's width), and the finished line (a row or the legend)."""

    plain: Callable[[str], str] = _as_is
    token: Callable[[str], str] = _as_is
    unbroken: Callable[[str], str] = _as_is
    line_break: Callable[[int], str] = lambda indent: "\n" + " " * indent
    line: Callable[[str], str] = _as_is


PLAIN = TextMarkup()


def row_line(viz: Visualization, row: ColouredRow, markup: TextMarkup = PLAIN) -> str:
    """One row: its label, then each token with its score in brackets."""
    scores = [
        f"[{format_score(score)}{' clipped' if clipped else ''}]"
        for score, clipped in zip(row.scores, row.clipped, strict=True)
    ]
    return _lines(viz.display, row.label, scores, markup)


def words_line(viz: Visualization, row: ColouredRow) -> str:
    """One row without scores: its label, then the tokens as words (for search and plain fallbacks)."""
    display = viz.display
    pieces = [""] * (2 * len(display))
    pieces[0::2] = display.separators()
    pieces[1::2] = display.texts
    line = ("" if row.label is None else f"{row.label}: ") + "".join(pieces) + display.tail
    if "\n" not in line:  # no line break: what _lines writes, joined in C
        return line
    return _lines(display, row.label, [""] * len(display), PLAIN)


def _lines(display: TokenDisplay, label: str | None, suffixes: list[str], markup: TextMarkup) -> str:
    """The label, then each separator and token text with its suffix; a line break (in a
    token or between tokens) goes on under the first token."""
    prefix = f"{label}: " if label is not None else ""
    line_break = markup.line_break(len(prefix))

    def plain(text: str) -> str:
        return line_break.join(markup.plain(line) for line in text.split("\n"))

    parts = [markup.unbroken(f"{label}:") + markup.plain(" ") if label is not None else ""]
    for separator, text, suffix in zip(display.separators(), display.texts, suffixes, strict=True):
        parts.append(plain(separator))
        line_end = line_break if text.endswith("\n") else ""
        parts.append(markup.token(text.removesuffix("\n")) + (markup.unbroken(suffix) if suffix else "") + line_end)
    parts.append(plain(display.tail))
    return markup.line("".join(parts).removesuffix(line_break))


def legend_line(viz: Visualization) -> str:
    """The colour scale in words, on one line (a control character a colormap's name
    might hold shows as its stand-in)."""
    scale = viz.scale
    centre = f", centre {format_bound(scale.center)}" if scale.center is not None else ""
    note = "".join(f", {note}" for note in legend_notes(viz.legend)) if viz.legend else ""
    bounds = f"from {format_bound(scale.vmin)} to {format_bound(scale.vmax)}"
    return inline(f"colour scale: {viz.cmap} {bounds}{centre}{note}")


def render_text_lines(viz: Visualization, markup: TextMarkup = PLAIN) -> list[str]:
    """The rows, then the legend line if the visualisation has a legend."""
    if viz.view == "matrix":
        from .matrix import matrix_text_lines  # the matrix view imports this module

        return matrix_text_lines(viz, markup)
    lines = [row_line(viz, row, markup) for row in viz.rows]
    if viz.legend:
        lines.append(markup.line(markup.plain(legend_line(viz))))
    return lines


def render_text(viz: Visualization) -> str:
    return "\n".join(render_text_lines(viz)) + "\n"
