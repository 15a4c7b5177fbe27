"""Find fenced code blocks of one language in Markdown and replace them.

Follows CommonMark's fences: three or more backticks or tildes, indented at most three
spaces, closed by a fence of the same character at least as long. Blocks inside other
fences, and indented code, are left alone. Lines end at ``\\n`` only (MkDocs reads pages
with universal newlines, so ``\\r\\n`` and ``\\r`` are ``\\n`` already); a body line keeps
every other character as written: tabs, control characters, trailing spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: The info string is taken whole and stripped in code: a lazy ``.*?`` before ``\s*$``
#: would make a line of many spaces cost quadratic time.
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclass(frozen=True)
class FencedBlock:
    """A fenced block's body lines; ``line`` is the 1-based line of its opening fence and
    ``indent`` the spaces before that fence."""

    line: int
    body: tuple[str, ...]
    indent: str = ""


def _closes(line: str, fence: str) -> bool:
    match = _FENCE.match(line)
    if not match or match["info"].strip():
        return False
    return match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence)


def _scan(lines: list[str], language: str) -> Iterator[tuple[int, int, FencedBlock | None]]:
    """Each run of lines as ``(start, end, block)``: a top-level ``language`` block from its
    opening fence to its closing one (``block`` set), or lines to keep as they are (None)."""
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match or (match["fence"][0] == "`" and "`" in match["info"]):
            yield index, index + 1, None
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not _closes(lines[end], match["fence"]):
            end += 1
        if match["info"].strip() == language:
            yield index, end + 1, FencedBlock(index + 1, tuple(lines[index + 1 : end]), match["indent"])
        else:
            yield index, end + 1, None
        index = end + 1


def fenced_blocks(markdown: str, language: str) -> list[FencedBlock]:
    """Every top-level ```` ```language```` block of ``markdown``, in order."""
    return [block for _, _, block in _scan(markdown.split("\n"), language) if block is not None]


def replace_fenced_blocks(markdown: str, language: str, render: Callable[[FencedBlock], str]) -> str:
    """``markdown`` with every top-level ```` ```language```` block replaced by ``render(block)``."""
    lines = markdown.split("\n")
    output: list[str] = []
    for start, end, block in _scan(lines, language):
        if block is None:
            output.extend(lines[start:end])
        else:
            output.append(render(block))
    return "\n".join(output)
