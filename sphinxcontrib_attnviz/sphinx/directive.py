"""The ``attention-viz`` directive: find the data, read it, call the core.

The data comes from exactly one source: a data file as the argument (``.json``,
``.tsv``, ``.csv``), the ``:tokens:`` and ``:scores:`` pair of files, or inline
``token score`` lines in the directive's body.

Every failure becomes one warning (``type="attnviz"``, subtype ``file``, ``data``
or ``option``) at the directive's location, and a visible note in the page where
the visualisation would stand; the rest of the build goes on. That includes an unknown
option (``:cmpa:``), and under MyST an option given twice; docutils itself refuses an
option given twice in rST, before the directive runs (see :class:`OptionSpec`).

A relative path that names no file gets a hint in its warning: the leading ``/`` form,
read from the top of the source directory; in a docstring, also where relative paths are
read from (the folder of the page holding the autodoc directive, not the module's).
"""

from __future__ import annotations

import os
import posixpath
import re
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..errors import AttnvizError, DataError, DataFileError
from ..options import (
    DIRECTIVE_OPTIONS,
    OPTION_NAMES,
    SOURCE_OPTIONS,
    Defaults,
    check_option_names,
    parse_flag,
    parse_options,
)
from .nodes import make_node

if TYPE_CHECKING:
    from ..data import TokenLimit, TokenScores

# The readers and the core (and numpy with them) are imported when a directive runs: a
# project that enables the extension without using it does not pay for them.

logger = logging.getLogger(__name__)

WARNING_TYPE = "attnviz"


class UnknownOption(NamedTuple):
    """An option the directive does not know, as given, for :meth:`AttentionViz.run` to report."""

    name: str
    value: str | None


class OptionSpec(dict[str, object]):
    """The directive's ``option_spec``: option name -> converter, where any other name
    gives a converter that keeps the option as an :class:`UnknownOption`.

    docutils (``assemble_option_dict``) and MyST look each option's converter up as
    ``option_spec[name]`` and turn a KeyError into an error of their own: in rST a
    docutils ERROR that drops the whole directive, in MyST an untyped
    ``myst.directive_option`` warning. Answering every name lets the directive report an
    unknown option itself, as one typed ``attnviz.option`` warning.

    An option given twice is another matter in rST: docutils refuses it
    (``DuplicateOptionError``) before any converter is looked up for it, so it stays
    docutils' error. MyST keeps the last value without a word; :meth:`AttentionViz.run`
    finds the repeat in the block's own option lines (MyST-Parser 5.2 and later).
    """

    def __missing__(self, name: str) -> partial[UnknownOption]:
        return partial(UnknownOption, name)


#: The line that opens a MyST directive: a fence of backticks, tildes or colons, then ``{name}``.
_MYST_FENCE = re.compile(r"\s*(`{3,}|~{3,}|:{3,})\s*\{")
#: An option's name: ``:name: value`` (MyST's default block) or ``name: value`` (its ``---`` block).
_COLON_OPTION = re.compile(r"\s*:([^:\s][^:]*?)\s*:(?:\s|$)")
_YAML_OPTION = re.compile(r"([^\s:#][^:]*?)\s*:(?:\s|$)")
#: The source autodoc gives a docstring's lines: ``path/to/mod.py:docstring of pkg.mod.func``,
#: or ``docstring of pkg.mod.func`` when it has no source file.
_DOCSTRING_SOURCE = re.compile(r"(?:^|:)docstring of \S+$")


def myst_option_names(block_text: str) -> list[str]:
    """The option names of a MyST directive's option block, repeats kept, as MyST reads
    the block: ``:name: value`` lines right after the opening line, or a YAML-like block
    between ``---`` lines.

    MyST-Parser 5.2 and later give the directive its whole text as ``block_text``, from
    the opening fence on; earlier versions give only the body, without the options, and
    then no name is found (a body line is never taken for an option)."""
    lines = block_text.splitlines()
    if not lines or not _MYST_FENCE.match(lines[0]):
        return []
    lines = lines[1:]
    if lines and lines[0].startswith("---"):
        names = []
        for line in lines[1:]:
            if line.startswith("---"):
                break
            match = _YAML_OPTION.match(line)
            if match:
                names.append(match.group(1))
        return names
    names = []
    for line in lines:
        stripped = line.lstrip()
        if not stripped.startswith(":") or stripped.startswith(":::"):
            break
        match = _COLON_OPTION.match(line)
        if match:
            names.append(match.group(1))
    return names


def warning_subtype(error: AttnvizError) -> str:
    """``file`` for files that cannot be read, ``data`` for bad content, ``option`` for options."""
    if isinstance(error, DataFileError):
        return "file"
    if isinstance(error, DataError):
        return "data"
    return "option"


def is_within(path: Path | str, directory: Path | str) -> bool:
    """Whether ``path`` lies in ``directory`` once both are resolved (symlinks followed)."""
    return lies_within(real_path(os.fspath(path)), _real_directory(os.fspath(directory)))


def lies_within(real: str, root: str) -> bool:
    """Whether the resolved path ``real`` is the resolved folder ``root`` or lies in it."""
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def real_path(path: str) -> str:
    """``os.path.realpath(path)``, with the folder resolved once per build (the data files
    of a project sit in a few folders): only the file's own name is looked up each time.
    Resolving the folder and then the name is what ``realpath`` does whenever the name is
    no symbolic link; a link, ``.`` or ``..`` is resolved whole. ValueError for a NUL."""
    if "\0" in path:
        raise ValueError("embedded null byte")  # as os.stat says it (islink would say False)
    folder, name = os.path.split(path)
    if name in ("", os.curdir, os.pardir) or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_directory(folder), name)


@cache
def _real_directory(directory: str) -> str:
    """A folder resolved once per build (:func:`forget_resolved_folders` starts each build
    afresh) rather than once per data file."""
    return os.path.realpath(directory)


def forget_resolved_folders(*_args: object) -> None:
    """Forget the folders resolved so far (at each build's start: a link may have changed)."""
    _real_directory.cache_clear()


class AttentionViz(SphinxDirective):
    """``.. attention-viz:: [data file]`` with the options listed in the docs.

    Option values are checked in :meth:`run`, not by docutils converters, so that a
    bad value is a typed ``attnviz`` warning rather than a docutils error; so are
    option names (:class:`OptionSpec`).

    An unknown option, or one given twice, is handled as a bad value is: one
    ``attnviz.option`` warning, and the note takes the figure's place. The figure is not
    drawn without the option: ``:cmpa: viridis`` or ``:vmni: 0`` is almost always a typo
    for an option the author wanted, and a figure drawn without it would look right and
    be wrong (other colours, another range), with the warning easy to miss in a long
    build; the note shows the mistake where the figure would be. It is also what
    docutils does with an rST option given twice, what the MkDocs plugin does with an
    unknown key, and what the core does with an unknown option name.
    """

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, object]] = OptionSpec((name, directives.unchanged) for name in DIRECTIVE_OPTIONS)
    #: The relative paths :meth:`resolve` was given, as messages show them.
    relative_sources: frozenset[str] = frozenset()

    def run(self) -> list[nodes.Node]:
        from ..visualization import visualize

        try:
            self.check_option_names()
            options = parse_options(
                {name: self.options[name] for name in OPTION_NAMES if name in self.options}, self.defaults()
            )
            image = parse_flag("image", self.options["image"]) if "image" in self.options else False
            node = make_node(visualize(self.read_data(), options), options)
        except AttnvizError as error:
            return [self.report(error)]
        if image:
            node["image"] = 1  # drawn as an image by every builder that shows images (:mod:`.images`)
        self.set_source_info(node)
        return [self.as_figure(node)]

    def check_option_names(self) -> None:
        """Raise OptionError for unknown options, or (under MyST) an option given twice."""
        unknown = [value.name for value in self.options.values() if isinstance(value, UnknownOption)]
        check_option_names(unknown, DIRECTIVE_OPTIONS)
        if type(self.state).__module__.partition(".")[0] == "myst_parser":
            check_option_names(myst_option_names(self.block_text), DIRECTIVE_OPTIONS)

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
        from ..formats import parse_pairs
        from ..sources import check_no_read_options, check_one_source, read_named_files

        check_one_source(
            {
                "a data file (.json, .tsv, .csv)": bool(self.arguments),
                ":tokens:/:scores: files": any(name in self.options for name in SOURCE_OPTIONS),
                "inline lines": bool(self.content),
            }
        )
        limit = self.token_limit()
        if self.content:
            check_no_read_options(self.options, "inline data")
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
            options=self.options,
        )

    def token_limit(self) -> TokenLimit | None:
        """``attnviz_max_tokens`` as the readers take it (None: no limit)."""
        from ..data import TokenLimit

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
        Messages name the path as written, from the source directory (symbolic links not
        followed); the absolute path has them followed. The file is registered as a
        dependency of the page, so that editing it (or creating it, if missing) re-reads
        the page on the next build.
        """
        from ..data import RESOLVE_ERRORS, unresolvable

        page_folder = "" if filename.startswith("/") else posixpath.dirname(self.env.docname)
        joined = posixpath.join(page_folder, filename.lstrip("/"))
        written = posixpath.normpath(joined)
        try:
            absolute = real_path(os.path.join(self.env.srcdir, joined))
            within = lies_within(absolute, _real_directory(os.fspath(self.env.srcdir)))
        except RESOLVE_ERRORS as error:
            raise unresolvable(error, written) from None
        if not (self.config.attnviz_allow_outside_srcdir or within):
            raise DataFileError(
                "the path resolves outside the source directory; "
                "set attnviz_allow_outside_srcdir = True in conf.py to allow it",
                written,
            )
        self.env.note_dependency(absolute)
        if not filename.startswith("/"):
            self.relative_sources |= {written}
        return written, Path(absolute)

    def as_figure(self, node: nodes.Element) -> nodes.Element:
        """With ``:caption:``, a numbered figure that ``:numref:`` reaches; ``:name:`` labels it."""
        if "caption" not in self.options:
            self.add_name(node)
            return node
        caption_text = self.options["caption"]
        inline, messages = self.state.inline_text(caption_text, self.lineno)
        caption = nodes.caption(caption_text, "", *inline)
        self.set_source_info(caption)  # gettext extracts and translates only text with a source
        figure = nodes.figure("", node, caption, *messages)
        figure["classes"].append("attnviz-figure")
        self.set_source_info(figure)
        self.add_name(figure)
        return figure

    def report(self, error: AttnvizError) -> nodes.Node:
        """Log ``error`` as a typed warning here and return the note that takes the figure's place."""
        message = f"attention-viz: {error.located()}{self.path_hint(error)}"
        logger.warning(message, type=WARNING_TYPE, subtype=warning_subtype(error), location=self.get_location())
        explanation = nodes.paragraph("", f"This visualisation could not be drawn. {message}")
        explanation["support_smartquotes"] = False  # show file names and quoted values as written
        note = nodes.warning("", explanation)
        note["classes"].append("attnviz-error")
        self.set_source_info(note)
        return note

    def path_hint(self, error: AttnvizError) -> str:
        """For a relative path that names no file, where relative paths are read from and
        the leading ``/`` form (:meth:`AttentionViz.resolve`); empty for any other error.

        In a docstring, relative paths are read from the folder of the page that holds
        the autodoc directive (``self.env.docname``), not from the module's folder: the
        hint names that page and its folder."""
        from ..data import FILE_NOT_FOUND

        if not (
            isinstance(error, DataFileError)
            and error.message == FILE_NOT_FOUND
            and error.source in self.relative_sources
        ):
            return ""
        top = f"{Path(_real_directory(os.fspath(self.env.srcdir))).name}/"
        absolute = f'a path starting with "/" is read from the top of the docs folder ({top})'
        source, _line = self.get_source_info()
        if not _DOCSTRING_SOURCE.search(source or ""):
            return f"; {absolute}"
        folder = posixpath.dirname(self.env.docname)
        return (
            f"; in a docstring, relative paths are read from {folder + '/' if folder else top}, the folder of "
            f"{self.relative_source(None)} (the page with the autodoc directive), not the module's; {absolute}"
        )
