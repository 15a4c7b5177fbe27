"""The ``attention-viz`` directive: find the data, read it, call the core.

The data comes from exactly one source: a data file as the argument (``.json``,
``.tsv``, ``.csv``), the ``:tokens:`` and ``:scores:`` pair of files, or inline
``token score`` lines in the directive's body.

Every failure becomes one warning (``type="attnviz"``, subtype ``file``, ``data``
or ``option``) at the directive's location, and a visible note in the page where
the visualisation would stand; the rest of the build goes on.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..data import TokenLimit, TokenScores
from ..errors import AttnvizError, DataError, DataFileError
from ..formats import parse_pairs
from ..options import OPTION_NAMES, Defaults, parse_options
from ..sources import check_one_source, read_named_files
from ..visualization import visualize
from .nodes import make_node

logger = logging.getLogger(__name__)

WARNING_TYPE = "attnviz"
#: Options about the data and the figure, besides the core's OPTION_NAMES.
SOURCE_OPTIONS = ("tokens", "text", "scores")
FIGURE_OPTIONS = ("caption", "name")


def warning_subtype(error: AttnvizError) -> str:
    """``file`` for files that cannot be read, ``data`` for bad content, ``option`` for options."""
    if isinstance(error, DataFileError):
        return "file"
    if isinstance(error, DataError):
        return "data"
    return "option"


def is_within(path: Path | str, directory: Path | str) -> bool:
    """Whether ``path`` lies in ``directory`` once both are resolved (symlinks followed)."""
    real, root = os.path.realpath(path), _real_directory(os.fspath(directory))
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


@cache
def _real_directory(directory: str) -> str:
    """The source directory, resolved once per build rather than once per data file."""
    return os.path.realpath(directory)


class AttentionViz(SphinxDirective):
    """``.. attention-viz:: [data file]`` with the options listed in the docs.

    Option values are checked in :meth:`run`, not by docutils converters, so that a
    bad value is a typed ``attnviz`` warning rather than a docutils error.
    """

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, object]] = {
        name: directives.unchanged for name in (*SOURCE_OPTIONS, *OPTION_NAMES, *FIGURE_OPTIONS)
    }

    def run(self) -> list[nodes.Node]:
        try:
            options = parse_options(
                {name: self.options[name] for name in OPTION_NAMES if name in self.options}, self.defaults()
            )
            node = make_node(visualize(self.read_data(), options))
        except AttnvizError as error:
            return [self.report(error)]
        self.set_source_info(node)
        return [self.as_figure(node)]

    def defaults(self) -> Defaults:
        config = self.config
        return Defaults(
            cmap=config.attnviz_default_cmap,
            diverging_cmap=config.attnviz_default_diverging_cmap,
            alpha=config.attnviz_default_alpha,
            legend=config.attnviz_default_legend,
            dark_cmap=config.attnviz_dark_cmap,
            dark_diverging_cmap=config.attnviz_dark_diverging_cmap,
        )

    def read_data(self) -> TokenScores:
        """Read the one data source the directive names."""
        check_one_source(
            {
                "a data file (.json, .tsv, .csv)": bool(self.arguments),
                ":tokens:/:scores: files": any(name in self.options for name in SOURCE_OPTIONS),
                "inline lines": bool(self.content),
            }
        )
        limit = self.token_limit()
        if self.content:
            source, first_line = self.content_start()
            return parse_pairs("\n".join(self.content), source, first_line=first_line, limit=limit)
        if not self.state.document.settings.file_insertion_enabled:
            raise DataFileError("file insertion is disabled (file_insertion_enabled = False): no data file is read")
        return read_named_files(
            data_file=self.arguments[0] if self.arguments else None,
            tokens=self.options.get("tokens"),
            text=self.options.get("text"),
            scores=self.options.get("scores"),
            resolve=self.resolve,
            limit=limit,
        )

    def token_limit(self) -> TokenLimit | None:
        """``attnviz_max_tokens`` as the readers take it (None: no limit)."""
        count = self.config.attnviz_max_tokens
        return None if count is None else TokenLimit(count, "attnviz_max_tokens in conf.py")

    def content_start(self) -> tuple[str, int]:
        """The source file and 1-based line of the body's first line, for messages.

        docutils records each body line's absolute 0-based offset (which always lies
        past the directive's own line); MyST records offsets from 0 and gives
        ``content_offset`` relative to the directive's line instead.
        """
        source, offset = self.content.info(0)
        if offset is not None and offset >= self.lineno:
            return self.relative_source(source), offset + 1
        return self.relative_source(source), self.lineno + self.content_offset + 1

    def relative_source(self, source: str | None) -> str:
        """A source file's path relative to the source directory, as messages show it."""
        path = source or os.fspath(self.env.doc2path(self.env.docname))
        if not is_within(path, self.env.srcdir):
            return path
        return Path(os.path.relpath(os.path.realpath(path), _real_directory(os.fspath(self.env.srcdir)))).as_posix()

    def resolve(self, filename: str) -> tuple[str, Path]:
        """The path as messages show it and the absolute path, as ``literalinclude`` resolves it.

        Relative to the document; a leading ``/`` is relative to the source directory.
        The file is registered as a dependency of the page, so that editing it (or
        creating it, if missing) re-reads the page on the next build.
        """
        source, absolute = self.env.relfn2path(filename, self.env.docname)
        path = Path(absolute)
        if not (self.config.attnviz_allow_outside_srcdir or is_within(path, self.env.srcdir)):
            raise DataFileError(
                "the path resolves outside the source directory; "
                "set attnviz_allow_outside_srcdir = True in conf.py to allow it",
                filename,
            )
        self.env.note_dependency(path)
        return source, path

    def as_figure(self, node: nodes.Element) -> nodes.Element:
        """With ``:caption:``, a numbered figure that ``:numref:`` reaches; ``:name:`` labels it."""
        if "caption" not in self.options:
            self.add_name(node)
            return node
        caption_text = self.options["caption"]
        inline, messages = self.state.inline_text(caption_text, self.lineno)
        figure = nodes.figure("", node, nodes.caption(caption_text, "", *inline), *messages)
        figure["classes"].append("attnviz-figure")
        self.set_source_info(figure)
        self.add_name(figure)
        return figure

    def report(self, error: AttnvizError) -> nodes.Node:
        """Log ``error`` as a typed warning here and return the note that takes the figure's place."""
        message = f"attention-viz: {error.located()}"
        logger.warning(message, type=WARNING_TYPE, subtype=warning_subtype(error), location=self.get_location())
        explanation = nodes.paragraph("", f"This visualisation could not be drawn. {message}")
        explanation["support_smartquotes"] = False  # show file names and quoted values as written
        note = nodes.warning("", explanation)
        note["classes"].append("attnviz-error")
        self.set_source_info(note)
        return note
