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
(``===``), nested to any depth (:data:`CONTAINERS`: the kinds a page's extensions
provide). A container holds the lines indented past its opening line, and a line of
text right after text (a lazy continuation); a fence in one may be indented up to three
spaces past the container's content. As in Python-Markdown, a container does not start
right after a line of text (``1984. was good`` goes on a paragraph), and ``- - -`` is a
rule. Blocks inside other fences, and indented code, are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

#: Python-Markdown's indentation of a container's content (its ``tab_length``).
CONTENT_INDENT = 4
#: The info string is taken whole and stripped in code: a lazy ``.*?`` before ``\s*$``
#: would make a line of many spaces cost quadratic time.
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
#: The marker of each kind of container: list items (Python-Markdown), admonitions
#: (``admonition``), collapsible blocks (``pymdownx.details``), content tabs (``pymdownx.tabbed``).
CONTAINERS = {"list": r"[-*+]|[0-9]{1,9}\.", "admonition": r"!!!", "details": r"\?\?\?\+?", "tabs": r"===\+?"}
_LIST_ITEM = re.compile(rf"^ *(?:{CONTAINERS['list']})(?: |$)")
#: A thematic break (``- - -``, ``***``): not a list item.
_RULE = re.compile(r"^ *([-*_])(?: *\1){2,} *$")


@cache
def _container_marker(kinds: frozenset[str]) -> re.Pattern[str]:
    """A line that opens a container of one of ``kinds`` (keys of :data:`CONTAINERS`)."""
    markers = "|".join(CONTAINERS[kind] for kind in sorted(kinds))
    return re.compile(rf"^ *(?:{markers})(?: |$)" if markers else r"(?!)")


ALL_CONTAINERS = frozenset(CONTAINERS)


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


def _scan(
    lines: list[str], language: str, kinds: frozenset[str] = ALL_CONTAINERS
) -> Iterator[tuple[int, int, FencedBlock | None]]:
    """Each run of lines as ``(start, end, block)``: a ``language`` block from its opening
    fence to its closing one (``block`` set), or lines to keep as they are (None)."""
    marker = _container_marker(kinds)
    containers: list[int] = []  # the indentation of each open container's opening line
    after_text = False  # the line before is a line of text (not blank, no fence, no container)
    after_opening = False  # the line before opens a container
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip(" \t"):
            after_text = after_opening = False
            yield index, index + 1, None
            index += 1
            continue
        indent = _indentation(line)
        expanded = line.expandtabs(CONTENT_INDENT)
        opens = bool(marker.match(expanded)) and not _RULE.match(expanded)
        list_item = opens and bool(_LIST_ITEM.match(expanded))
        if not ((after_text or after_opening) and not opens and not _FENCE.match(expanded)):  # else lazy text
            while containers and indent <= containers[-1]:
                containers.pop()
        content = containers[-1] + CONTENT_INDENT if containers else 0
        in_reach = indent <= content + 3  # deeper is indented code
        match = _FENCE.match(expanded) if in_reach else None
        if not match or (match["fence"][0] == "`" and "`" in match["info"]):
            opened = in_reach and opens and not after_text
            if opened:
                # nested only from the parent's content on (four spaces); less is a sibling
                nested = not containers or indent >= containers[-1] + CONTENT_INDENT
                containers.append(indent if nested else containers.pop())
            # only a list item's own line goes on lazily (Python-Markdown); an admonition's
            # or a tab's opening line holds no text of the content
            after_text, after_opening = not opened, opened and list_item
            yield index, index + 1, None
            index += 1
            continue
        after_text = after_opening = False
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


def fenced_blocks(markdown: str, language: str, kinds: frozenset[str] = ALL_CONTAINERS) -> list[FencedBlock]:
    """Every ```` ```language```` block of ``markdown``, in order, in containers of ``kinds``."""
    return [block for _, _, block in _scan(markdown.split("\n"), language, kinds) if block is not None]


def replace_fenced_blocks(
    markdown: str, language: str, render: Callable[[FencedBlock], str], kinds: frozenset[str] = ALL_CONTAINERS
) -> str:
    """``markdown`` with every ```` ```language```` block (in containers of ``kinds``)
    replaced by ``render(block)``."""
    lines = markdown.split("\n")
    output: list[str] = []
    for start, end, block in _scan(lines, language, kinds):
        if block is None:
            output.extend(lines[start:end])
        else:
            output.append(render(block))
    return "\n".join(output)
