"""Which page a block sits in: MyST gives a plugin the block and its line, not its file.

The plugin runs in the folder MyST was started in, the project's (the folder of
``myst.yml``). The page is the Markdown file of the project whose line holds the block's
opening fence (```` ```{attention-viz} ```` or ``:::{attention-viz}``) with the same
argument, and whose block holds the options MyST found. Two pages may
hold the very same block at the very same line: then a relative path is read from their
folder if they share one, and is an error (naming them) otherwise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Files MyST reads as Markdown pages.
PAGE_SUFFIXES = (".md",)
#: Folders never searched: MyST's output, dependencies, hidden folders.
SKIPPED_FOLDERS = frozenset({"_build", "node_modules", "__pycache__"})
_OPENING = re.compile(r"\s*(?:`{3,}|~{3,}|:{3,})\s*\{([^}]+)\}\s*(.*?)\s*$")


@dataclass(frozen=True)
class Page:
    """A page of the project: its path from the project's folder (as messages show it)."""

    name: str
    path: Path

    @property
    def folder(self) -> Path:
        return self.path.parent


def pages(root: Path) -> Iterator[Page]:
    """The project's Markdown pages, in a fixed order."""
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name not in SKIPPED_FOLDERS and not name.startswith("."))
        for name in sorted(files):
            if name.endswith(PAGE_SUFFIXES):
                path = Path(folder, name)
                yield Page(path.relative_to(root).as_posix(), path)


def holds(lines: list[str], node: Mapping[str, Any]) -> bool:
    """Whether ``lines`` (a page's) hold the directive ``node`` where MyST says it is."""
    start = int(node.get("position", {}).get("start", {}).get("line", 0))
    if not 0 < start <= len(lines):
        return False
    opening = _OPENING.match(lines[start - 1])
    if not opening or opening.group(1).strip() != node.get("name") or opening.group(2) != (node.get("args") or ""):
        return False
    end = int(node.get("position", {}).get("end", {}).get("line", start))
    text = "\n".join(lines[start - 1 : max(end, start)])
    # MyST's option positions are not always right (a bare ``:legend:`` gets the line before): look in the block
    return all(child.get("name", "") in text for child in node.get("children", ()) if child.get("type") == "mystOption")


def find_pages(root: Path, node: Mapping[str, Any]) -> list[Page]:
    """The pages under ``root`` that hold ``node`` (usually one)."""
    found = []
    for page in pages(root):
        try:
            text = page.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "attention-viz" in text and holds(text.splitlines(), node):
            found.append(page)
    return found
