"""The MkDocs plugin: ```` ```attention-viz ```` blocks become the directive's HTML.

A block's body holds ``key: value`` lines with the directive's option names (``tokens``,
``scores``, ``data``, ``cmap``, ``alpha``, ...), then a blank line and inline data,
``token score`` lines; a body whose first line is not a ``key: value`` line is all inline
data (:func:`parse_block`). Paths are relative to the page, or to ``docs_dir`` with a
leading ``/``. Options in ``mkdocs.yml`` give defaults.

Markdown never sees a figure: each block is replaced by a placeholder paragraph, and the
figure's HTML takes its place in the page's HTML, so the page holds exactly the fragment
the command line and the API write (Markdown's preprocessors, such as tab expansion or
CriticMarkup, never touch it). A bad block is a warning naming the page and its line, or
the data file and its line (so ``--strict`` fails), and a visible note in the page.
"""

from __future__ import annotations

import os
import posixpath
import re
import secrets
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .data import DEFAULT_MAX_TOKENS, RESOLVE_ERRORS, TokenLimit, TokenScores, parse_max_tokens, unresolvable
from .errors import AttnvizError, DataError, DataFileError, OptionError
from .fences import FencedBlock, fenced_blocks, replace_fenced_blocks
from .formats import parse_pairs
from .options import (
    DEFAULT_ALPHA,
    DEFAULT_CMAP,
    DEFAULT_DIVERGING_CMAP,
    OPTION_NAMES,
    Defaults,
    parse_alpha,
    parse_options,
    unknown_options_message,
)
from .pages import stylesheet
from .render.html import escape_text, render_html
from .sources import check_one_source, read_named_files
from .visualization import visualize

log = get_plugin_logger("attention-viz")

LANGUAGE = "attention-viz"
SOURCE_KEYS = ("data", "tokens", "text", "scores")
KNOWN_KEYS = (*SOURCE_KEYS, *OPTION_NAMES)
CSS_URI = "assets/attnviz.css"
#: A figure's colour rules (render.css): kept out of what search plugins index.
FIGURE_STYLE = re.compile(r"<style>\.attnviz\{.*?</style>", re.DOTALL)
#: What ``max_tokens`` is called in messages.
MAX_TOKENS_SETTING = "the plugin option max_tokens (mkdocs.yml)"
#: A line that reads as an option: a name, a colon, then a space, a tab or the line's end.
_OPTION_SHAPE = re.compile(r"\s*[A-Za-z][A-Za-z0-9_-]*:(?:\s|$)")


def _cannot_be_copied(path: str) -> str | None:
    """Why MkDocs could not copy ``path`` to the site (it would fail, or wait, on it), or None:
    a named pipe, socket or device, or a path that cannot be read (a loop of symbolic links)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None  # gone since MkDocs listed it: MkDocs says so itself
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "not a regular file (a named pipe, socket or device)"


class AttentionVizConfig(base.Config):
    cmap = c.Type(str, default=DEFAULT_CMAP)
    diverging_cmap = c.Type(str, default=DEFAULT_DIVERGING_CMAP)
    alpha = c.Type((int, float), default=DEFAULT_ALPHA)
    legend = c.Type(bool, default=False)
    dark_cmap = c.Optional(c.Type(str))
    dark_diverging_cmap = c.Optional(c.Type(str))
    allow_outside_docs_dir = c.Type(bool, default=False)
    # any value is taken here; on_config warns about one that is not a positive integer
    max_tokens = c.Type(object, default=DEFAULT_MAX_TOKENS)


@dataclass(frozen=True)
class BlockBody:
    """A block's options, and its inline data with the page line of the data's first line."""

    options: dict[str, str]
    data: str | None = None
    data_line: int = 0
    #: True when the block holds only data (its first line is blank or not an option line).
    data_only: bool = False


def is_option_line(line: str) -> bool:
    """Whether a block's first line reads as an option: ``name: value`` (a name of ASCII
    letters, digits, ``-`` and ``_``; the colon followed by a space, a tab or the line's
    end), or one of the keys and a colon (``data:x.json``)."""
    key, colon, _ = line.partition(":")
    return bool(colon) and (key.strip() in KNOWN_KEYS or _OPTION_SHAPE.match(line) is not None)


def parse_block(block: FencedBlock, source: str, first_line: int) -> BlockBody:
    """A block's options and inline data; an OptionError names ``source`` (the page) and
    the line, counting the body's first line as ``first_line``.

    When the body's first line is an option line (:func:`is_option_line`), the lines up
    to the first blank line are options, each a ``key: value`` line with a known key;
    otherwise (the first line is blank, or is not an option line) there are none. The
    lines after the options are inline data, kept as written (tabs, control characters)
    for :func:`~.formats.parse_pairs`; data may not begin with an option line.
    """
    lines = block.body
    options: dict[str, str] = {}
    index = 0
    if lines and is_option_line(lines[0]):
        while index < len(lines) and lines[index].strip():
            line, number = lines[index], first_line + index
            key, colon, value = line.partition(":")
            key = key.strip()
            if colon and key not in KNOWN_KEYS and _OPTION_SHAPE.match(line) and not (index == 0 and _is_pair(line)):
                raise OptionError(unknown_options_message([key], KNOWN_KEYS, kind="key"), source, number)
            if not colon or key not in KNOWN_KEYS:
                hint = " (if this line is inline data, start the block with a blank line)"
                raise OptionError(
                    f"expected 'key: value' with a key among {', '.join(KNOWN_KEYS)}, not {line.strip()!r}"
                    + (hint if index == 0 and _is_pair(line) else ""),
                    source,
                    number,
                )
            if key in options:
                raise OptionError(f"{key} is given twice", source, number)
            options[key] = _unquoted(value.strip())
            index += 1
    data_start = next((number for number in range(index, len(lines)) if lines[number].strip()), None)
    if data_start is None:
        return BlockBody(options)
    key, colon, _ = lines[data_start].partition(":")
    if colon and key.strip() in KNOWN_KEYS:
        raise OptionError(
            f"{lines[data_start].strip()!r} is an option line after a blank line, where inline data "
            "('token score' lines) begins: write the options first, with no blank line before or between them",
            source,
            first_line + data_start,
        )
    return BlockBody(options, "\n".join(lines[data_start:]), first_line + data_start, data_only=not options)


def _is_pair(line: str) -> bool:
    """Whether ``line`` reads as inline data: a token, whitespace and a number."""
    try:
        parse_pairs(line, "")
    except DataError:
        return False
    return True


def _unquoted(value: str) -> str:
    """A value without the quotes YAML habits put around it (``"[CLS], [SEP]"``)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def source_lines(markdown: str, source: str | None) -> list[int]:
    """The line in the page's ``source`` of each block's opening fence in ``markdown``.

    MkDocs hands plugins the page without its front matter (YAML or MultiMarkdown
    ``key: value`` lines) and the blank lines after it, so lines in ``markdown`` are
    off by that many; when another plugin changed the text too, each block is found in
    the source by its body (the nth block with a body is the source's nth with that
    body). A block not found there keeps its line in ``markdown``.
    """
    blocks = fenced_blocks(markdown, LANGUAGE)
    if source is None or not blocks:
        return [block.line for block in blocks]
    if source.endswith(markdown):
        offset = source.count("\n", 0, len(source) - len(markdown))
        return [block.line + offset for block in blocks]
    in_source: dict[tuple[str, ...], list[int]] = {}
    for block in fenced_blocks(source, LANGUAGE):
        in_source.setdefault(block.body, []).append(block.line)
    seen: Counter[tuple[str, ...]] = Counter()
    lines = []
    for block in blocks:
        found = in_source.get(block.body, [])
        lines.append(found[seen[block.body]] if seen[block.body] < len(found) else block.line)
        seen[block.body] += 1
    return lines


@dataclass(frozen=True)
class Figure:
    """A block's HTML (its figure, or the note that stands for it) and its opening fence's line."""

    line: int
    html: str


class AttentionVizPlugin(BasePlugin[AttentionVizConfig]):
    """Registered as the ``attention-viz`` plugin (entry point group ``mkdocs.plugins``)."""

    def __init__(self) -> None:
        self.data_files: set[str] = set()
        self.figures: dict[str, list[Figure]] = {}  # by page: each block's HTML, until the page's HTML is made
        self.styles: dict[str, list[str]] = {}  # by page: the figures' <style> elements, set aside
        #: Where a block stands in the Markdown: a paragraph of one word no Markdown
        #: extension changes (ASCII letters and digits), unique to this build.
        self.placeholder = f"attnviz{secrets.token_hex(8)}figure"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Add the stylesheet; a bad ``alpha`` or ``max_tokens`` option is a warning, and
        the default is used instead."""
        try:
            parse_alpha(self.config.alpha)
        except OptionError as error:
            log.warning(f"plugin option alpha: {error.message}; using {DEFAULT_ALPHA}")
            self.config.alpha = DEFAULT_ALPHA
        try:
            parse_max_tokens(self.config.max_tokens)
        except OptionError as error:
            log.warning(f"plugin option max_tokens: {error.message}; using {DEFAULT_MAX_TOKENS}")
            self.config.max_tokens = DEFAULT_MAX_TOKENS
        config.extra_css.append(CSS_URI)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the stylesheet; leave out of the site the files in ``docs_dir`` that MkDocs
        would fail on, or wait on, when it copies them (:func:`_cannot_be_copied`). A block
        naming one gets its own warning."""
        for file in list(files):
            reason = _cannot_be_copied(file.abs_src_path) if file.abs_src_path else None
            if reason:
                log.info(f"{file.src_uri}: {reason}: left out of the site")
                files.remove(file)
        files.append(File.generated(config, CSS_URI, content=stylesheet()))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Make each block's HTML, and put a placeholder paragraph in its place."""
        figures = self.figures[page.file.src_uri] = []
        if LANGUAGE not in markdown:
            return markdown
        lines = iter(source_lines(markdown, self.page_source(page)))

        def stand_in(block: FencedBlock) -> str:
            line = next(lines)
            figures.append(Figure(line, self.render_block(block, line, page, config)))
            return f"\n{block.indent}{self.placeholder}{len(figures) - 1}\n"

        return replace_fenced_blocks(markdown, LANGUAGE, stand_in)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put each block's HTML in its placeholder's place; then set the figures' ``<style>``
        elements aside, each for a placeholder comment, so that search plugins (which index
        the page's content next) do not index CSS."""
        src_uri = page.file.src_uri
        for index, figure in enumerate(self.figures.pop(src_uri, [])):
            mark = f"{self.placeholder}{index}"
            html, count = re.subn(rf"<p>{mark}</p>|{mark}(?![0-9])", lambda _, figure=figure: figure.html, html)
            if not count:
                log.warning(
                    f"{src_uri}:{figure.line}: the block's place in the page was lost "
                    "(a Markdown extension removed or changed it): the visualisation is missing"
                )
        styles = self.styles[src_uri] = []

        def set_aside(match: re.Match[str]) -> str:
            styles.append(match.group(0))
            return f"<!--attnviz-style-{len(styles) - 1}-->"

        return FIGURE_STYLE.sub(set_aside, html)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Put each figure's ``<style>`` back where it was."""
        styles = self.styles.pop(page.file.src_uri, [])
        for index, style in enumerate(styles):
            output = output.replace(f"<!--attnviz-style-{index}-->", style, 1)
        return output

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Watch every data file a page reads: editing one rebuilds the site."""
        for path in sorted(self.data_files):
            server.watch(path)
        return server

    @staticmethod
    def page_source(page: Page) -> str | None:
        """The page's text as MkDocs read it (with its front matter), or None."""
        try:
            return page.file.content_string
        except (OSError, ValueError):
            return None

    def render_block(self, block: FencedBlock, line: int, page: Page, config: MkDocsConfig) -> str:
        """The block's HTML fragment, or a warning and a visible note; ``line`` is the
        block's opening fence's line in the page."""
        src_uri = page.file.src_uri
        try:
            body = parse_block(block, src_uri, line + 1)
            data = self.read_data(body, src_uri, page, config)
            chosen = {name: value for name, value in body.options.items() if name in OPTION_NAMES}
            return render_html(visualize(data, parse_options(chosen, self.defaults())))
        except AttnvizError as error:
            if error.source == src_uri and error.line is not None:
                message = error.located()  # a line of the page
            else:
                message = f"{src_uri}:{line}: {error.located()}"
            log.warning(message)
            return (
                '<div class="admonition warning attnviz-error"><p class="admonition-title">attention-viz</p>'
                f"<p>This visualisation could not be drawn. {escape_text(message)}</p></div>"
            )

    def read_data(self, body: BlockBody, src_uri: str, page: Page, config: MkDocsConfig) -> TokenScores:
        """The block's one data source, read: its inline lines, or the files it names."""
        options = body.options
        check_one_source(
            {
                "data": "data" in options,
                "tokens and scores": any(key in options for key in SOURCE_KEYS[1:]),
                "inline lines": body.data is not None,
            }
        )
        count = self.config.max_tokens
        limit = None if count is None else TokenLimit(count, MAX_TOKENS_SETTING)
        if body.data is not None:
            try:
                return parse_pairs(body.data, src_uri, first_line=body.data_line, limit=limit)
            except DataError as error:
                if not (body.data_only and error.line == body.data_line):
                    raise
                hint = "the block is read as inline data, 'token score' lines: its first line is not 'key: value'"
                raise DataError(f"{error.message} ({hint})", error.source, error.line) from None
        return read_named_files(
            data_file=options.get("data"),
            tokens=options.get("tokens"),
            text=options.get("text"),
            scores=options.get("scores"),
            resolve=lambda name: self.resolve(name, page, config),
            limit=limit,
        )

    def defaults(self) -> Defaults:
        return Defaults(
            cmap=self.config.cmap,
            diverging_cmap=self.config.diverging_cmap,
            alpha=float(self.config.alpha),
            legend=self.config.legend,
            dark_cmap=self.config.dark_cmap,
            dark_diverging_cmap=self.config.dark_diverging_cmap,
        )

    def resolve(self, name: str, page: Page, config: MkDocsConfig) -> tuple[str, Path]:
        """A path relative to the page (or to docs_dir with a leading ``/``), checked and watched."""
        docs_dir = Path(config.docs_dir).resolve()
        page_dir = Path(page.file.abs_src_path).parent if page.file.abs_src_path else docs_dir
        base_dir = docs_dir if name.startswith("/") else page_dir
        page_folder = "" if name.startswith("/") else posixpath.dirname(page.file.src_uri)
        written = posixpath.normpath(posixpath.join(page_folder, name.lstrip("/")))
        try:
            path = (base_dir / name.lstrip("/")).resolve()
        except RESOLVE_ERRORS as error:
            raise unresolvable(error, written) from None
        if not path.is_relative_to(docs_dir):
            if not self.config.allow_outside_docs_dir:
                raise DataFileError(
                    "the path resolves outside docs_dir; set allow_outside_docs_dir: true for the plugin to allow it",
                    written,
                )
            source = str(path)
        else:
            source = path.relative_to(docs_dir).as_posix()
        self.data_files.add(str(path))
        return source, path
