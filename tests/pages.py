"""Helpers to read what a build wrote: the figures and their token spans.

Built on the standard library's HTML parser, which hands text over exactly as
written (entities decoded), so a test sees each token's text as a browser would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: What a legend's colormap name is followed by, shown on dark pages only.
DARK_VARIANT = '<span class="attnviz-dark-only">, dark variant</span>'
#: The test projects, ``tests/roots/test-NAME``.
ROOTS = Path(__file__).resolve().parent / "roots"


#: A palette entry's rule in a figure's <style>: ``.attnviz-p-BuGn .c17{--av-bg:#...;...}``.
ENTRY_RULE = re.compile(r"\.attnviz-p-[\w-]+ \.(c\d+)\{([^}]*)\}")


@dataclass
class TokenSpan:
    attrs: dict[str, str]
    #: The figure's palette entries: class -> custom properties (``--av-bg``, ...).
    entries: dict[str, dict[str, str]]
    text: str = ""
    nested_tags: list[str] = field(default_factory=list)

    @property
    def style(self) -> dict[str, str]:
        """The token's colours as the figure's rules give them, e.g. ``{"background-color":
        "#c4e9e1", "color": "#000000", "dark-background-color": ..., "dark-color": ...}``;
        or, where it has one (EPUB), its inline style (light colours only)."""
        if "style" in self.attrs:
            pairs = (item.split(":", 1) for item in self.attrs["style"].split(";") if item.strip())
            return {key.strip(): value.strip() for key, value in pairs}
        (entry,) = (name for name in self.attrs["class"].split() if name in self.entries)
        values = self.entries[entry]
        return {
            "background-color": _long(values["--av-bg"]),
            "color": _long(values["--av-fg"]),
            "dark-background-color": _long(values["--av-dark-bg"]),
            "dark-color": _long(values["--av-dark-fg"]),
        }


def _long(colour: str) -> str:
    """``#rgb`` as ``#rrggbb``."""
    return "#" + "".join(2 * digit for digit in colour[1:]) if len(colour) == 4 else colour


#: Elements that lay tokens out: a word's pieces, plain text between tokens, a line break.
LAYOUT = {("span", "attnviz-word"), ("span", "attnviz-gap"), ("br", "")}
#: Elements that hold rows, a row's tokens, or a block of a long row's tokens.
STRUCTURE = {("div", "attnviz-rows"), ("span", "attnviz-tokens"), ("span", "attnviz-chunk")}


@dataclass
class Figure:
    classes: list[str]
    spans: list[TokenSpan] = field(default_factory=list)
    row_starts: list[int] = field(default_factory=list)  # index in spans where each attnviz-row starts
    nested_tags: list[str] = field(default_factory=list)
    css: str = ""  # the figure's <style>
    entries: dict[str, dict[str, str]] = field(default_factory=dict)  # palette entry class -> custom properties
    words: list[list[int]] = field(default_factory=list)  # the token indices of each span.attnviz-word
    shown: list[str] = field(default_factory=list)  # each row's text as shown: tokens, text between them, breaks
    html: str = ""

    @property
    def tokens(self) -> list[str]:
        return [span.text for span in self.spans]

    @property
    def rows(self) -> list[list[str]]:
        """The tokens of each row (one row when the figure has no row elements)."""
        starts = self.row_starts or [0]
        ends = [*starts[1:], len(self.spans)]
        return [self.tokens[start:end] for start, end in zip(starts, ends, strict=True)]


class _FigureParser(HTMLParser):
    """Collects every ``div.attnviz`` with its ``span.attnviz-token`` children."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[Figure] = []
        self._depth = 0  # open elements inside the current figure
        self._span: TokenSpan | None = None
        self._start = 0
        self._in_word = False
        self._skip_depth = 0  # inside a label or the legend: not part of the shown text
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self._depth:
            self._depth += 1
            figure = self.figures[-1]
            if self._span is not None:
                self._span.nested_tags.append(tag)
            elif tag == "div" and "attnviz-row" in values.get("class", "").split():
                figure.row_starts.append(len(figure.spans))
                figure.shown.append("")
            elif tag == "style":
                self._in_style = True
                self._skip_depth = self._depth
            elif (tag, values.get("class", "")) in STRUCTURE:
                pass
            elif tag == "span" and "attnviz-token" in values.get("class", "").split():
                self._span = TokenSpan(values, figure.entries)
                figure.spans.append(self._span)
                if self._in_word:
                    figure.words[-1].append(len(figure.spans) - 1)
            elif (tag, values.get("class", "")) in LAYOUT:
                if tag == "br":
                    self._depth -= 1  # a void element: no end tag follows
                    self._add_shown("\n")
                if values.get("class") == "attnviz-word":
                    figure.words.append([])
                    self._in_word = True
            elif "attnviz-label" in values.get("class", "").split() or "attnviz-legend" in values.get("class", ""):
                self._skip_depth = self._depth
                figure.nested_tags.append(tag)
            else:
                figure.nested_tags.append(tag)
        elif tag == "div" and "attnviz" in values.get("class", "").split():
            self.figures.append(Figure(values["class"].split()))
            self._depth = 1
            self._start = self._offset()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<br/>``: a void element, like ``<br>``."""
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        if self._skip_depth and self._depth == self._skip_depth:
            self._skip_depth = 0
        if tag == "style" and self._in_style:
            self._in_style = False
            figure = self.figures[-1]
            for name, properties in ENTRY_RULE.findall(figure.css):
                pairs = (item.split(":", 1) for item in properties.split(";") if item.strip())
                figure.entries[name] = {key.strip(): value.strip() for key, value in pairs}
        self._depth -= 1
        if self._span is not None and not self._span.nested_tags and tag == "span":
            self._span = None
        elif tag == "span" and self._span is None:
            self._in_word = False
        if not self._depth:
            self._span = None
            self.figures[-1].html = self.rawdata[self._start : self._offset() + len(f"</{tag}>")]

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.figures[-1].css += data
            return
        if self._span is not None:
            self._span.text += data
        if self._depth and not self._skip_depth:
            self._add_shown(data)

    def _add_shown(self, text: str) -> None:
        figure = self.figures[-1]
        if not figure.shown:
            figure.shown.append("")
        figure.shown[-1] += text

    def _offset(self) -> int:
        line, column = self.getpos()
        lines = self.rawdata.split("\n")
        return sum(len(text) + 1 for text in lines[: line - 1]) + column


def figures(html: str) -> list[Figure]:
    """The visualisations of a page or fragment, in order."""
    parser = _FigureParser()
    parser.feed(html)
    parser.close()
    return parser.figures


def read_output(outdir: str | Path, name: str) -> str:
    return (Path(outdir) / name).read_text(encoding="utf-8")
