"""The syntax of an ```` ```attention-viz ```` block in Markdown (MkDocs pages, Quarto
documents through the command line's ``--block``): its options and inline data
(:func:`parse_block`); and, for the MkDocs plugin, the blocks of one page from the
Markdown to the HTML (:func:`located_blocks`, :class:`PageBlocks`).

A block's body holds ``key: value`` lines with the directive's option names (``tokens``,
``scores``, ``data``, ``cmap``, ``alpha``, ...), then a blank line and inline data,
``token score`` lines; a body whose first line is not a ``key: value`` line is all inline
data.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from .data import TokenLimit, TokenScores
from .errors import DataError, OptionError
from .fences import ALL_CONTAINERS, FencedBlock, fenced_blocks
from .formats import parse_pairs
from .options import OPTION_NAMES, READ_OPTIONS, unknown_options_message
from .sources import Resolve, check_no_read_options, check_one_source, read_named_files

LANGUAGE = "attention-viz"
SOURCE_KEYS = ("data", "tokens", "text", "scores")
KNOWN_KEYS = (*SOURCE_KEYS, *READ_OPTIONS, *OPTION_NAMES)
#: A line that reads as an option: a name, a colon, then a space, a tab or the line's end.
_OPTION_SHAPE = re.compile(r"\s*[A-Za-z][A-Za-z0-9_-]*:(?:\s|$)")
#: An opening fence of a block anywhere: in a container, a block quote, indented code.
_ANY_OPENING_FENCE = re.compile(r"^(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,})[ \t]*attention-viz[ \t]*$")


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


def read_block_data(
    body: BlockBody, options: Mapping[str, str], source: str, resolve: Resolve, limit: TokenLimit | None = None
) -> TokenScores:
    """A block's one data source, read: its inline lines (from ``body``), or the files its
    ``options`` name (with ``data`` read as its read options say); paths go through
    ``resolve``, and messages name ``source`` (the page)."""
    check_one_source(
        {
            "data": "data" in options,
            "tokens and scores": any(key in options for key in SOURCE_KEYS[1:]),
            "inline lines": body.data is not None,
        }
    )
    if body.data is None:
        return read_named_files(
            data_file=options.get("data"),
            tokens=options.get("tokens"),
            text=options.get("text"),
            scores=options.get("scores"),
            resolve=resolve,
            limit=limit,
            options=options,
        )
    check_no_read_options(options, "inline data")
    try:
        return parse_pairs(body.data, source, first_line=body.data_line, limit=limit)
    except DataError as error:
        if not (body.data_only and error.line == body.data_line):
            raise
        hint = "the block is read as inline data, 'token score' lines: its first line is not 'key: value'"
        raise DataError(f"{error.message} ({hint})", error.source, error.line) from None


def located_blocks(markdown: str, source: str | None, kinds: frozenset[str] = ALL_CONTAINERS) -> list[FencedBlock]:
    """The blocks of ``markdown`` (:func:`~.fences.fenced_blocks`, in containers of
    ``kinds``), each ``line`` being its opening fence's line in the page's ``source``.

    MkDocs hands plugins the page without its front matter (YAML or MultiMarkdown
    ``key: value`` lines) and the blank lines after it, so lines in ``markdown`` are
    off by that many; when another plugin changed the text too, each block is found in
    the source by its body (the nth block with a body is the source's nth with that
    body). A block not found there keeps its line in ``markdown``.
    """
    blocks = fenced_blocks(markdown, LANGUAGE, kinds)
    if source is None or not blocks:
        return blocks
    if source.endswith(markdown):
        offset = source.count("\n", 0, len(source) - len(markdown))
        return [replace(block, line=block.line + offset) for block in blocks]
    in_source: dict[tuple[str, ...], list[int]] = {}
    for block in fenced_blocks(source, LANGUAGE, kinds):
        in_source.setdefault(block.body, []).append(block.line)
    seen: Counter[tuple[str, ...]] = Counter()
    located = []
    for block in blocks:
        found = in_source.get(block.body, [])
        if seen[block.body] < len(found):
            block = replace(block, line=found[seen[block.body]])
        located.append(block)
        seen[block.body] += 1
    return located


@dataclass(frozen=True)
class PendingFigure:
    """A block whose placeholder stands in the page, drawn when the page's HTML is made.
    ``found`` is False for a block that pymdownx.superfences found and :func:`located_blocks`
    did not (one in a block quote, or in indented code that superfences gives back)."""

    block: FencedBlock
    found: bool = True


@dataclass
class PageBlocks:
    """The blocks of one page, each with the number of its placeholder (its index in
    ``figures``); ``claimed`` holds the numbers pymdownx.superfences handed back."""

    source: str = ""
    figures: list[PendingFigure] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)
    _candidates: list[FencedBlock] | None = None
    _used: set[int] = field(default_factory=set)

    def add(self, block: FencedBlock, found: bool = True) -> int:
        """The number of ``block``'s placeholder."""
        self.figures.append(PendingFigure(block, found))
        return len(self.figures) - 1

    def claim(self, body: str, placeholder: str) -> int:
        """The number of the placeholder for a block pymdownx.superfences gives back with
        ``body``: the block's own number when ``body`` is ``placeholder`` and a number (a
        found block, which the plugin wrote so), else that of a new block: the one
        :meth:`_in_source` finds."""
        number = re.fullmatch(rf"{placeholder}([0-9]+)", body.strip())
        if number and int(number[1]) < len(self.figures):
            self.claimed.add(int(number[1]))
            return int(number[1])
        self.claimed.add(len(self.figures))
        return self.add(self._in_source(body), found=False)

    def _in_source(self, body: str) -> FencedBlock:
        """The block superfences found with ``body`` (one in a block quote), as the page's
        source has it: the first unused opening fence there whose body says the same but
        for what Markdown changes before superfences sees it (:func:`_loose_text`), else
        the first unused one after those taken; its lines as written (a tab stays a tab)."""
        if self._candidates is None:
            found = {figure.block.line for figure in self.figures if figure.found}
            self._candidates = [block for block in _quoted_blocks(self.source) if block.line not in found]
        unused = [block for block in self._candidates if block.line not in self._used]
        loose = _loose_text(body.split("\n"))
        after = max(self._used, default=0)
        chosen = next((block for block in unused if _loose_text(block.body) == loose), None) or next(
            (block for block in unused if block.line > after), None
        )
        if chosen is None:
            return FencedBlock(after + 1, tuple(body.split("\n")))
        self._used.add(chosen.line)
        return chosen


def _loose_text(lines: Sequence[str]) -> str:
    """A block's body without what Python-Markdown changes before extensions see it:
    whitespace (it expands tabs) and its stash markers, STX and ETX."""
    return "".join("".join(line.split()).replace("\x02", "").replace("\x03", "") for line in lines)


def _quoted_blocks(source: str) -> list[FencedBlock]:
    """Every opening fence of a block in ``source``, whatever comes before it on its line
    (spaces, ``>`` of block quotes), with its body: the lines up to the closing fence, each
    without the opening line's prefix."""
    lines = source.split("\n")
    blocks = []
    for index, line in enumerate(lines):
        opening = _ANY_OPENING_FENCE.match(line)
        if not opening:
            continue
        prefix, fence = opening["prefix"], opening["fence"]
        body = []
        for text in lines[index + 1 :]:
            inner = text[len(prefix) :] if text.startswith(prefix) else text.lstrip(" \t>")
            if inner.strip().startswith(fence) and not inner.strip().strip(fence[0]):
                break
            body.append(inner)
        blocks.append(FencedBlock(index + 1, tuple(body)))
    return blocks
