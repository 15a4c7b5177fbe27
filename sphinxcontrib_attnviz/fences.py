"""Find fenced code blocks of one language in Markdown and replace them.

Follows CommonMark's fences: three or more backticks or tildes, indented at most three
spaces, closed by a fence of the same character at least as long. Blocks inside other
fences, and indented code, are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*?)\s*$")


@dataclass(frozen=True)
class FencedBlock:
    """A fenced block's body lines; ``line`` is the 1-based line of its opening fence."""

    line: int
    body: tuple[str, ...]


def _closes(line: str, fence: str) -> bool:
    match = _FENCE.match(line)
    return bool(match and not match["info"] and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence))


def replace_fenced_blocks(markdown: str, language: str, render: Callable[[FencedBlock], str]) -> str:
    """``markdown`` with every top-level ```` ```language```` block replaced by ``render(block)``."""
    lines = markdown.split("\n")
    output: list[str] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match or (match["fence"][0] == "`" and "`" in match["info"]):
            output.append(lines[index])
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not _closes(lines[end], match["fence"]):
            end += 1
        if match["info"].strip() == language:
            output.append(render(FencedBlock(index + 1, tuple(lines[index + 1 : end]))))
        else:
            output.extend(lines[index : end + 1])
        index = end + 1
    return "\n".join(output)
