"""The MkDocs plugin: ```` ```attention-viz ```` blocks become the directive's HTML.

A block's syntax is in :mod:`.blocks`. Paths are relative to the page, or to
``docs_dir`` with a leading ``/``. Options in ``mkdocs.yml`` give defaults.

Blocks are found wherever a fence is: when ``pymdownx.superfences`` is among the Markdown
extensions, the plugin registers the block as one of its custom fences (as Material
registers ``mermaid``), so a block works wherever superfences finds a fence; without it,
the plugin finds blocks itself (:mod:`.fences`: at the top level, in list items,
admonitions, collapsible blocks and content tabs).

Markdown never sees a figure: each block becomes a placeholder paragraph, and the
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
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .blocks import LANGUAGE, BlockBody, PageBlocks, located_blocks, parse_block, read_block_data
from .data import DEFAULT_MAX_TOKENS, RESOLVE_ERRORS, TokenLimit, TokenScores, parse_max_tokens, unresolvable
from .errors import AttnvizError, DataFileError, OptionError
from .fences import ALL_CONTAINERS, FencedBlock, replace_fenced_blocks
from .options import (
    DEFAULT_ALPHA,
    DEFAULT_CMAP,
    DEFAULT_DIVERGING_CMAP,
    OPTION_NAMES,
    Defaults,
    parse_alpha,
    parse_options,
)
from .pages import stylesheet
from .render.html import escape_text, render_html
from .visualization import visualize

log = get_plugin_logger("attention-viz")

CSS_URI = "assets/attnviz.css"
#: A figure's colour rules (render.css): kept out of what search plugins index.
FIGURE_STYLE = re.compile(r"<style>\.attnviz\{.*?</style>", re.DOTALL)
#: What ``max_tokens`` is called in messages.
MAX_TOKENS_SETTING = "the plugin option max_tokens (mkdocs.yml)"
#: The Markdown extension whose custom fence the block becomes, when it is configured.
SUPERFENCES = "pymdownx.superfences"
#: The extension that provides each kind of container (None: Markdown itself).
CONTAINER_EXTENSIONS = {
    "list": None,
    "admonition": "admonition",
    "details": "pymdownx.details",
    "tabs": "pymdownx.tabbed",
}


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


class AttentionVizPlugin(BasePlugin[AttentionVizConfig]):
    """Registered as the ``attention-viz`` plugin (entry point group ``mkdocs.plugins``)."""

    def __init__(self) -> None:
        self.data_files: set[str] = set()
        self.pages: dict[str, PageBlocks] = {}  # by page: its blocks, until the page's HTML is made
        #: The page whose Markdown is being converted, for pymdownx.superfences' calls.
        self.converting: PageBlocks | None = None
        #: Whether blocks are pymdownx.superfences' custom fences (else found by the plugin).
        self.superfences = False
        #: The kinds of container the page's Markdown extensions provide (:data:`.fences.CONTAINERS`).
        self.container_kinds = ALL_CONTAINERS
        self.styles: dict[str, list[str]] = {}  # by page: the figures' <style> elements, set aside
        #: Where a block stands in the Markdown: a paragraph of one word no Markdown
        #: extension changes (ASCII letters and digits), unique to this build.
        self.placeholder = f"attnviz{secrets.token_hex(8)}figure"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Add the stylesheet, and the block as a custom fence of pymdownx.superfences when
        it is configured; a bad ``alpha`` or ``max_tokens`` option is a warning, and the
        default is used instead."""
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
        self.superfences = SUPERFENCES in config.markdown_extensions
        extensions = set(config.markdown_extensions)
        self.container_kinds = frozenset(
            kind for kind, extension in CONTAINER_EXTENSIONS.items() if extension is None or extension in extensions
        )
        if self.superfences:
            self.register_fence(config)
        return config

    def register_fence(self, config: MkDocsConfig) -> None:
        """Add the block to superfences' ``custom_fences`` (in place of one of the same name)."""
        settings = config.mdx_configs.get(SUPERFENCES) or {}
        fences = [fence for fence in settings.get("custom_fences") or [] if fence.get("name") != LANGUAGE]
        fences.append({"name": LANGUAGE, "class": LANGUAGE, "format": self.format_fence})
        config.mdx_configs[SUPERFENCES] = {**settings, "custom_fences": fences}

    def format_fence(
        self, source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any
    ) -> str:
        """What pymdownx.superfences puts in a block's place (its custom-fence ``format``
        call): a placeholder, the block being drawn when the page's HTML is made."""
        if self.converting is None:
            log.warning(
                "an attention-viz block in Markdown converted outside a page (by another plugin or a theme) "
                "cannot be drawn: it is shown as code"
            )
            return f'<pre class="{LANGUAGE}"><code>{escape_text(source)}</code></pre>'
        return f"{self.placeholder}{self.converting.claim(source, self.placeholder)}"

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
        """Find the page's blocks; put a placeholder paragraph in each one's place, or leave
        that to pymdownx.superfences (:meth:`format_fence`)."""
        source = self.page_source(page)
        blocks = located_blocks(markdown, source, self.container_kinds) if LANGUAGE in markdown else []
        state = self.pages[page.file.src_uri] = PageBlocks(source or markdown)
        self.converting = state
        if not blocks:
            return markdown
        located = iter(blocks)

        def stand_in(block: FencedBlock) -> str:
            mark = f"{self.placeholder}{state.add(next(located))}"
            if self.superfences:
                # a fence of the placeholder, indented as far as its container's content
                # (Python-Markdown keeps only that in a container: three spaces in a "1."
                # item are not enough); superfences hands the placeholder back
                return replace(block, body=(mark,)).markdown(LANGUAGE)
            return f"\n{block.indent}{mark}\n"

        return replace_fenced_blocks(markdown, LANGUAGE, stand_in, self.container_kinds)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put each block's HTML in its placeholder's place; then set the figures' ``<style>``
        elements aside, each for a placeholder comment, so that search plugins (which index
        the page's content next) do not index CSS."""
        src_uri = page.file.src_uri
        self.converting = None
        state = self.pages.pop(src_uri, None) or PageBlocks()
        drawn: dict[int, str] = {}

        def figure_html(match: re.Match[str]) -> str:
            index = int(match[1] or match[2])
            if index >= len(state.figures):
                return match[0]
            if index not in drawn:
                unread = self.superfences and index not in state.claimed
                drawn[index] = "" if unread else self.render_block(state.figures[index].block, page, config)
            return drawn[index]

        if state.figures:  # one pass over the page, however many figures
            html = re.sub(rf"<p>{self.placeholder}([0-9]+)</p>|{self.placeholder}([0-9]+)", figure_html, html)
        for index, figure in enumerate(state.figures):
            if self.superfences and index not in state.claimed:
                log.warning(
                    f"{src_uri}:{figure.block.line}: pymdownx.superfences does not read this block as a fence "
                    "(check its indentation): the visualisation is missing"
                )
            elif index not in drawn and figure.found:  # (superfences gives back a block in indented code as code)
                log.warning(
                    f"{src_uri}:{figure.block.line}: the block's place in the page was lost "
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

    def render_block(self, block: FencedBlock, page: Page, config: MkDocsConfig) -> str:
        """The block's HTML fragment, or a warning and a visible note; ``block.line`` is
        its opening fence's line in the page."""
        src_uri, line = page.file.src_uri, block.line
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
        count = self.config.max_tokens
        limit = None if count is None else TokenLimit(count, MAX_TOKENS_SETTING)
        return read_block_data(body, body.options, src_uri, lambda name: self.resolve(name, page, config), limit)

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
