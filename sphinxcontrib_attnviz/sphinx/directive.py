"""The ``attention-viz`` directive: resolve and read the data files, call the core.

Every failure becomes one warning (``type="attnviz"``, subtype ``file``, ``data``
or ``option``) at the directive's location, and a visible note in the page where
the visualisation would stand; the rest of the build goes on.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..data import TokenScores, read_token_score_files
from ..errors import AttnvizError, DataError, DataFileError, OptionError
from ..options import parse_alpha
from ..visualization import visualize
from .nodes import make_node

logger = logging.getLogger(__name__)

WARNING_TYPE = "attnviz"


def warning_subtype(error: AttnvizError) -> str:
    """``file`` for files that cannot be read, ``data`` for bad content, ``option`` for options."""
    if isinstance(error, DataFileError):
        return "file"
    if isinstance(error, DataError):
        return "data"
    return "option"


def is_within(path: Path, directory: Path) -> bool:
    """Whether ``path`` lies in ``directory`` once both are resolved (symlinks followed)."""
    return path.resolve().is_relative_to(directory.resolve())


class AttentionViz(SphinxDirective):
    """``.. attention-viz::`` with ``:tokens:`` (or ``:text:``), ``:scores:``, ``:cmap:``, ``:alpha:``.

    Option values are checked in :meth:`run`, not by docutils converters, so that a
    bad value is a typed ``attnviz`` warning rather than a docutils error.
    """

    has_content = False
    option_spec: ClassVar[dict[str, object]] = {
        "tokens": directives.unchanged,
        "text": directives.unchanged,
        "scores": directives.unchanged,
        "cmap": directives.unchanged,
        "alpha": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        try:
            cmap = self.options.get("cmap", self.config.attnviz_default_cmap)
            alpha = parse_alpha(self.options.get("alpha", self.config.attnviz_default_alpha))
            viz = visualize(self.read_data(), cmap, alpha)
        except AttnvizError as error:
            return [self.report(error)]
        node = make_node(viz)
        self.set_source_info(node)
        return [node]

    def read_data(self) -> TokenScores:
        """Read the ``:tokens:`` and ``:scores:`` files named in the options."""
        if "tokens" in self.options and "text" in self.options:
            raise OptionError(":tokens: and :text: name the same file; give only one of them")
        tokens_option = self.options.get("tokens") or self.options.get("text")
        scores_option = self.options.get("scores")
        missing = [name for name, value in (("tokens", tokens_option), ("scores", scores_option)) if not value]
        if missing:
            raise OptionError(
                f"missing option {' and '.join(':' + name + ':' for name in missing)} "
                "(give a tokens file and a scores file, one entry per line)"
            )
        if not self.state.document.settings.file_insertion_enabled:
            raise DataFileError("file insertion is disabled (file_insertion_enabled = False): no data file is read")
        tokens_source, tokens_path = self.resolve(tokens_option)
        scores_source, scores_path = self.resolve(scores_option)
        return read_token_score_files(tokens_path, scores_path, tokens_source, scores_source)

    def resolve(self, filename: str) -> tuple[str, Path]:
        """The path as messages show it and the absolute path, as ``literalinclude`` resolves it.

        Relative to the document; a leading ``/`` is relative to the source directory.
        The file is registered as a dependency of the page, so that editing it (or
        creating it, if missing) re-reads the page on the next build.
        """
        source, absolute = self.env.relfn2path(filename, self.env.docname)
        path = Path(absolute)
        if not (self.config.attnviz_allow_outside_srcdir or is_within(path, Path(self.env.srcdir))):
            raise DataFileError(
                "the path resolves outside the source directory; "
                "set attnviz_allow_outside_srcdir = True in conf.py to allow it",
                filename,
            )
        self.env.note_dependency(path)
        return source, path

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
