"""Find fenced code blocks of one language in Markdown and replace them.

Follows CommonMark's fences: three or more backticks or tildes, closed by a fence of the
same character at least as long; the body loses as many leading spaces as the opening
fence had. Lines end at ``\\n`` only (MkDocs reads pages with universal newlines, so
``\\r\\n`` and ``\\r`` are ``\\n`` already); a body line keeps every other character as
written: tabs, control characters, trailing spaces.

A fence is found at the top level (indented at most three spaces) and inside the
containers of Python-Markdown and its usual extensions, whose content is indented four
spaces past the line that opens them: list items (``-``, ``*``, ``+``, ``1.``),
admonitions and collapsible blocks (``!!!``, ``???``, ``???+``) and content tabs
(``===``), nested to any depth. A container holds the lines indented past its opening
line; a fence in one may be indented up to three spaces past the container's content.
Blocks inside other fences, and indented code, are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: Python-Markdown's indentation of a container's content (its ``tab_length``).
CONTENT_INDENT = 4
#: The info string is taken whole and stripped in code: a lazy ``.*?`` before ``\s*$``
#: would make a line of many spaces cost quadratic time.
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
#: A line that opens a container: a list item, an admonition, a collapsible block, a content tab.
_CONTAINER = re.compile(r"^ *(?:[-*+]|[0-9]{1,9}\.|!!!|\?\?\?\+?|===\+?)(?: |$)")


@dataclass(frozen=True)
class FencedBlock:
    """A fenced block's body lines; ``line`` is the 1-based line of its opening fence and
    ``indent`` the spaces a paragraph in the block's place needs to stay where the block
    was: the fence's own indentation at the top level, its container's content
    indentation inside a container (four spaces per level). ``fence`` is its opening
    fence's backticks or tildes."""

    line: int
    body: tuple[str, ...]
    indent: str = ""
    fence: str = "```"

    def markdown(self, language: str) -> str:
        """The block as Markdown, its fences and body indented by ``indent``."""
        lines = [f"{self.fence}{language}", *self.body, self.fence]
        return "\n".join(f"{self.indent}{line}" if line else line for line in lines)


def _indentation(line: str) -> int:
    """The column of the line's first character that is not a space or a tab (tabs
    stopping every four columns, as Python-Markdown expands them)."""
    column = 0
    for character in line:
        if character == " ":
            column += 1
        elif character == "\t":
            column += CONTENT_INDENT - column % CONTENT_INDENT
        else:
            break
    return column


def _dedented(line: str, columns: int) -> str:
    """``line`` without up to ``columns`` columns of leading spaces (tabs expanded)."""
    if not columns:
        return line
    blank = len(line) - len(line.lstrip(" \t"))
    leading = line[:blank].expandtabs(CONTENT_INDENT)
    return leading[min(columns, len(leading)) :] + line[blank:]


def _closes(line: str, fence: str, indent: int) -> bool:
    match = _FENCE.match(_dedented(line, indent))
    if not match or match["info"].strip() or len(match["indent"]) > 3:
        return False
    return match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence)


def _scan(lines: list[str], language: str) -> Iterator[tuple[int, int, FencedBlock | None]]:
    """Each run of lines as ``(start, end, block)``: a ``language`` block from its opening
    fence to its closing one (``block`` set), or lines to keep as they are (None)."""
    containers: list[int] = []  # the indentation of each open container's opening line
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip(" \t"):
            yield index, index + 1, None
            index += 1
            continue
        indent = _indentation(line)
        while containers and indent <= containers[-1]:
            containers.pop()
        content = containers[-1] + CONTENT_INDENT if containers else 0
        in_reach = indent <= content + 3  # deeper is indented code
        match = _FENCE.match(line.expandtabs(CONTENT_INDENT)) if in_reach else None
        if not match or (match["fence"][0] == "`" and "`" in match["info"]):
            if in_reach and _CONTAINER.match(line.expandtabs(CONTENT_INDENT)):
                containers.append(indent)
            yield index, index + 1, None
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not _closes(lines[end], match["fence"], indent):
            if containers and lines[end].strip(" \t") and _indentation(lines[end]) <= containers[-1]:
                break  # the container ends, and the block with it
            end += 1
        closed = end < len(lines) and _closes(lines[end], match["fence"], indent)
        stop = end + 1 if closed else end
        if match["info"].strip() == language:
            body = tuple(_dedented(body_line, indent) for body_line in lines[index + 1 : end])
            placeholder_indent = " " * (content if containers else indent)
            yield index, stop, FencedBlock(index + 1, body, placeholder_indent, match["fence"])
        else:
            yield index, stop, None
        index = stop


def fenced_blocks(markdown: str, language: str) -> list[FencedBlock]:
    """Every ```` ```language```` block of ``markdown``, in order."""
    return [block for _, _, block in _scan(markdown.split("\n"), language) if block is not None]


def replace_fenced_blocks(markdown: str, language: str, render: Callable[[FencedBlock], str]) -> str:
    """``markdown`` with every ```` ```language```` block replaced by ``render(block)``."""
    lines = markdown.split("\n")
    output: list[str] = []
    for start, end, block in _scan(lines, language):
        if block is None:
            output.extend(lines[start:end])
        else:
            output.append(render(block))
    return "\n".join(output)
