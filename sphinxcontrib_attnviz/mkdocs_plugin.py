"""The MkDocs plugin: ```` ```attention-viz ```` blocks become the directive's HTML.

The block's body holds ``key: value`` lines with the directive's option names
(``tokens``, ``scores``, ``data``, ``cmap``, ``alpha``, ...). Paths are relative to the
page, or to ``docs_dir`` with a leading ``/``. Options in ``mkdocs.yml`` give defaults.
A bad block is a warning naming the page and the data file (so ``--strict`` fails),
and a visible note in the page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .errors import AttnvizError, DataFileError, OptionError
from .fences import FencedBlock, replace_fenced_blocks
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
from .sources import check_one_source, read_named_files
from .visualization import visualize

log = get_plugin_logger("attention-viz")

LANGUAGE = "attention-viz"
SOURCE_KEYS = ("data", "tokens", "text", "scores")
KNOWN_KEYS = (*SOURCE_KEYS, *OPTION_NAMES)
CSS_URI = "assets/attnviz.css"
#: A figure's colour rules (render.css): kept out of what search plugins index.
FIGURE_STYLE = re.compile(r"<style>\.attnviz\{.*?</style>", re.DOTALL)


class AttentionVizConfig(base.Config):
    cmap = c.Type(str, default=DEFAULT_CMAP)
    diverging_cmap = c.Type(str, default=DEFAULT_DIVERGING_CMAP)
    alpha = c.Type((int, float), default=DEFAULT_ALPHA)
    legend = c.Type(bool, default=False)
    dark_cmap = c.Optional(c.Type(str))
    dark_diverging_cmap = c.Optional(c.Type(str))
    allow_outside_docs_dir = c.Type(bool, default=False)


def parse_block(block: FencedBlock) -> dict[str, str]:
    """A block's ``key: value`` lines (blank lines skipped); OptionError names the line."""
    options: dict[str, str] = {}
    for number, line in enumerate(block.body, start=block.line + 1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in KNOWN_KEYS:
            raise OptionError(
                f"line {number}: expected 'key: value' with a key among {', '.join(KNOWN_KEYS)}, not {line.strip()!r}"
            )
        if key in options:
            raise OptionError(f"line {number}: {key} is given twice")
        options[key] = _unquoted(value.strip())
    return options


def _unquoted(value: str) -> str:
    """A value without the quotes YAML habits put around it (``"[CLS], [SEP]"``)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


class AttentionVizPlugin(BasePlugin[AttentionVizConfig]):
    """Registered as the ``attention-viz`` plugin (entry point group ``mkdocs.plugins``)."""

    def __init__(self) -> None:
        self.data_files: set[str] = set()
        self.styles: dict[str, list[str]] = {}  # by page: the figures' <style> elements, set aside

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Add the stylesheet; a bad ``alpha`` option is a warning, and 1.0 is used instead."""
        try:
            parse_alpha(self.config.alpha)
        except OptionError as error:
            log.warning(f"plugin option alpha: {error.message}; using {DEFAULT_ALPHA}")
            self.config.alpha = DEFAULT_ALPHA
        config.extra_css.append(CSS_URI)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        files.append(File.generated(config, CSS_URI, content=stylesheet()))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return replace_fenced_blocks(markdown, LANGUAGE, lambda block: self.render_block(block, page, config))

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Set the figures' ``<style>`` elements aside, each for a placeholder comment, so
        that search plugins (which index the page's content next) do not index CSS."""
        styles = self.styles[page.file.src_uri] = []

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

    def render_block(self, block: FencedBlock, page: Page, config: MkDocsConfig) -> str:
        """The block's HTML fragment, or a warning and a visible note."""
        try:
            options = parse_block(block)
            check_one_source(
                {"data": "data" in options, "tokens and scores": any(k in options for k in SOURCE_KEYS[1:])}
            )
            data = read_named_files(
                data_file=options.get("data"),
                tokens=options.get("tokens"),
                text=options.get("text"),
                scores=options.get("scores"),
                resolve=lambda name: self.resolve(name, page, config),
            )
            chosen = {name: value for name, value in options.items() if name in OPTION_NAMES}
            fragment = render_html(visualize(data, parse_options(chosen, self.defaults())))
        except AttnvizError as error:
            message = f"{page.file.src_uri}:{block.line}: {error.located()}"
            log.warning(message)
            fragment = (
                '<div class="admonition warning attnviz-error"><p class="admonition-title">attention-viz</p>'
                f"<p>This visualisation could not be drawn. {escape_text(message)}</p></div>"
            )
        return f"\n{fragment}\n"

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
        path = (base_dir / name.lstrip("/")).resolve()
        if not path.is_relative_to(docs_dir):
            if not self.config.allow_outside_docs_dir:
                raise DataFileError(
                    "the path resolves outside docs_dir; set allow_outside_docs_dir: true for the plugin to allow it",
                    name,
                )
            source = str(path)
        else:
            source = path.relative_to(docs_dir).as_posix()
        self.data_files.add(str(path))
        return source, path
