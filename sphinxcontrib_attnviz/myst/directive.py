"""One ``{attention-viz}`` block: its options and data read through the core, and the
MyST AST that takes its place.

The block's options and body are read as written (from the ``mystOption`` nodes MyST
passes along), so an option means what it means in Sphinx, and an unknown option or one
given twice is reported as the Sphinx directive reports it: a note where the figure
would stand. Each failure is also written to standard error (which MyST shows only
with ``--debug``); the build goes on.

The AST of a figure (see ``docs/jupyter-book.md``):

- a ``block`` of class ``attnviz-myst`` (a block: what a MyST figure takes as its
  content), whose ``data.attnviz_html`` keeps the fragment the Sphinx directive writes,
  and which holds:
- for the web, a ``block`` tagged ``no-tex``/``no-pdf`` holding an ``html`` node: the
  fragment with each token's colours inline. MyST turns ``html`` nodes into its own
  ``div`` and ``span`` nodes (keeping ``class`` and ``style``, dropping ``<style>``
  elements and other attributes), which its themes draw; so the web page shows the
  tokens in their light colours, without the tooltips.
- for LaTeX, a ``raw`` node: the core's LaTeX fragment when the document loads
  ``xcolor``, the tokens with their scores as text otherwise.

With ``:caption:`` the block sits in a ``container`` of kind ``figure`` with a caption;
``:name:`` labels the container (or the block).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..data import DEFAULT_MAX_TOKENS, RESOLVE_ERRORS, TokenLimit, TokenScores, unresolvable
from ..errors import AttnvizError, DataFileError, OptionError
from ..formats import parse_pairs
from ..options import (
    DIRECTIVE_OPTIONS,
    OPTION_NAMES,
    SOURCE_OPTIONS,
    SPHINX_OPTIONS,
    check_option_names,
    parse_options,
)
from ..render.html import render_html
from ..render.latex import latex_fragment
from ..render.latex_text import escape_latex
from ..render.matrix import LATEX_PACKAGES, NARROW_TEXT_WIDTH, matrix_grid, matrix_notes
from ..render.text import render_text_lines
from ..sources import check_no_read_options, check_one_source, read_named_files
from ..visualization import Visualization, visualize
from .page import Page, find_pages

Node = dict[str, Any]

DIRECTIVE = "attention-viz"
LIMIT = TokenLimit(DEFAULT_MAX_TOKENS, "the MyST plugin's limit")
#: The tags that keep the web part out of LaTeX and PDF exports.
WEB_ONLY = ["no-tex", "no-pdf"]


def _line(node: Mapping[str, Any]) -> int:
    return int(node.get("position", {}).get("start", {}).get("line", 0))


def _text(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value).lower()


class Block:
    """The block MyST passes (``data["node"]``), read as the Sphinx directive reads its own."""

    def __init__(self, node: Mapping[str, Any], root: Path):
        self.node = node
        self.root = root
        self.line = _line(node)
        children = node.get("children", ())
        self.option_list = [
            (child.get("name", ""), child.get("value")) for child in children if child.get("type") == "mystOption"
        ]
        self.options = {name: _text(value) for name, value in self.option_list}
        self.argument = (node.get("args") or "").strip()
        bodies = [child for child in children if child.get("type") == "mystDirectiveBody"]
        self.body = node.get("value") or ""
        self.body_line = _line(bodies[0]) if bodies else self.line + 1
        self._pages: list[Page] | None = None

    @property
    def pages(self) -> list[Page]:
        if self._pages is None:
            self._pages = find_pages(self.root, self.node)
        return self._pages

    @property
    def page_name(self) -> str:
        """The page as messages show it: its path from the project's folder."""
        names = [page.name for page in self.pages]
        return " or ".join(names) if names else "(page not found)"

    def check_option_names(self) -> None:
        """Unknown options and repeats as the Sphinx directive words them; then the Sphinx
        directive's own options, which MyST-MD has no use for, refused by name: a figure
        drawn without the option the author asked for would look right and be wrong."""
        names = [name for name, _value in self.option_list]
        check_option_names(names, DIRECTIVE_OPTIONS)
        for name in SPHINX_OPTIONS:
            if name in names:
                raise OptionError(
                    f"{name} is an option of the Sphinx directive only: MyST-MD draws the figure as HTML "
                    "on the web and as LaTeX in PDF exports, never as an image; remove the option"
                )

    def visualization(self) -> Visualization:
        self.check_option_names()
        options = parse_options({name: self.options[name] for name in OPTION_NAMES if name in self.options})
        return visualize(self.read_data(), options)

    def read_data(self) -> TokenScores:
        check_one_source(
            {
                "a data file (.json, .tsv, .csv)": bool(self.argument),
                ":tokens:/:scores: files": any(name in self.options for name in SOURCE_OPTIONS),
                "inline lines": bool(self.body.strip()),
            }
        )
        if self.body.strip():
            check_no_read_options(self.options, "inline data")
            return parse_pairs(self.body, self.page_name, first_line=self.body_line, limit=LIMIT)
        return read_named_files(
            data_file=self.argument or None,
            tokens=self.options.get("tokens"),
            text=self.options.get("text"),
            scores=self.options.get("scores"),
            resolve=self.resolve,
            limit=LIMIT,
            options=self.options,
        )

    def resolve(self, filename: str) -> tuple[str, Path]:
        """Relative to the page; with a leading ``/``, to the project's folder (as in Sphinx)."""
        if filename.startswith("/"):
            base = self.root
        else:
            folders = {page.folder for page in self.pages}
            if not folders:
                raise DataFileError(
                    f"no Markdown page of the project holds this block at line {self.line}, so a relative path "
                    "cannot be read from its folder; start the path with '/' to read it from the project's folder",
                    filename,
                )
            if len(folders) > 1:
                raise DataFileError(
                    f"{self.page_name} hold this very block at line {self.line}, in different folders; "
                    "start the path with '/' to read it from the project's folder",
                    filename,
                )
            [base] = folders
        path = base / filename.lstrip("/")
        try:
            shown = Path(_relative(path, self.root)).as_posix()
            inside = _within(path, self.root)
        except RESOLVE_ERRORS as error:  # a loop of symbolic links, a NUL in the path
            raise unresolvable(error, filename) from None
        if not inside:
            raise DataFileError("the path resolves outside the project's folder", shown)
        return shown, path

    def note(self, error: AttnvizError) -> Node:
        """The visible note that takes the figure's place; the message goes to stderr too."""
        message = f"{self.page_name}:{self.line}: attention-viz: {error.located()}"
        print(f"warning: {message}", file=sys.stderr)
        paragraph = {"type": "paragraph", "children": [_text_node(f"This visualisation could not be drawn. {message}")]}
        return {
            "type": "admonition",
            "kind": "warning",
            "class": "attnviz-error",
            "children": [{"type": "admonitionTitle", "children": [_text_node("attention-viz")]}, paragraph],
        }

    def figure(self, viz: Visualization) -> Node:
        caption = self.options.get("caption")
        name = self.options.get("name", "").strip()
        body: Node = {
            "type": "block",
            "class": "attnviz-myst",
            "data": {"attnviz_html": render_html(viz, name=caption)},
            "children": [
                {
                    "type": "block",
                    "data": {"tags": WEB_ONLY},
                    "children": [{"type": "html", "value": render_html(viz, name=caption, inline_colours=True)}],
                },
                {"type": "raw", "lang": "tex", "tex": latex_source(viz)},
            ],
        }
        if caption is None:
            return {**body, **_label(name)}
        caption_node = {"type": "caption", "children": [{"type": "paragraph", "children": [_text_node(caption)]}]}
        return {
            "type": "container",
            "kind": "figure",
            "class": "attnviz-figure",
            **_label(name),
            "children": [body, caption_node],
        }


def latex_source(viz: Visualization) -> str:
    """The core's LaTeX fragment (pdflatex: it compiles under every engine) if the document
    loads what it needs (``xcolor``; for the matrix view also ``colortbl`` and ``graphicx``,
    :data:`..render.matrix.LATEX_PACKAGES`); if not, the text output: the tokens with their
    scores, or the matrix view's grid in a fixed-width font, its spaces kept."""
    if viz.view == "matrix":  # 70 characters of \small \texttt: the width of a page's text
        grid = "\\par\n".join(
            "\\noindent\\texttt{" + "~".join(escape_latex(part).source for part in line.split(" ")) + "}"
            for line in matrix_grid(viz, NARROW_TEXT_WIDTH)
        )
        notes = "".join(f"\\par\n{escape_latex(note).source}" for note in matrix_notes(viz))
        lines = f"{{\\small {grid}\\par}}{notes}"
    else:
        lines = "\\par\n".join(
            "\\newline ".join(escape_latex(part).source for part in line.split("\n")) for line in render_text_lines(viz)
        )
    needed = ("xcolor", *(LATEX_PACKAGES if viz.view == "matrix" else ()))
    checks = "".join(f"\\@ifpackageloaded{{{package}}}{{}}{{\\@tempswafalse}}" for package in needed)
    return (
        f"\n\\makeatletter\\@tempswatrue{checks}\\if@tempswa\\makeatother%\n"
        f"{latex_fragment(viz).source}\\else\\makeatother\\par\\noindent {lines}\\par\\fi\n"
    )


def _label(name: str) -> dict[str, str]:
    return {"label": name, "identifier": " ".join(name.lower().split())} if name else {}


def _text_node(value: str) -> Node:
    return {"type": "text", "value": value}


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _within(path: Path, root: Path) -> bool:
    real, top = path.resolve(), root.resolve()
    return real == top or top in real.parents


def run_directive(data: Mapping[str, Any], root: Path) -> list[Node]:
    """The AST for one block (``data`` as MyST passes it), read in the project's folder ``root``."""
    block = Block(data.get("node") or {}, root)
    try:
        return [block.figure(block.visualization())]
    except AttnvizError as error:
        return [block.note(error)]
