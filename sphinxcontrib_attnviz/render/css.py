"""The colour rules an HTML figure carries in its own ``<style>`` element.

Each token names its palette entry by a class (``c17``); the figure's rules give each
entry used its light and dark colours as custom properties (``--av-bg`` and ``--av-fg``
the background and text colours on light pages, ``--av-dark-bg`` and ``--av-dark-fg`` on
dark ones), and a few shared rules pick the pair that fits the page. So a token costs a
short class, not a full inline style; the fragment shows its light colours (hex for hex
the original script's) with no other stylesheet (a notebook, an e-mail); and it switches
to the dark colours with no script:

- on the theme toggles: pydata-sphinx-theme and sphinx-book-theme
  (``html[data-theme="dark"]``), furo (``body[data-theme="dark"]``), MkDocs Material
  (``[data-md-color-scheme="slate"]``), JupyterLab (``body[data-jp-theme-light="false"]``),
  VS Code's notebooks (``body.vscode-dark``), or an ancestor of class ``attnviz-dark``;
- with the reader's ``prefers-color-scheme: dark`` where the page follows it: furo's
  default (``body[data-theme="auto"]``) or an ancestor of class ``attnviz-auto`` (the
  command line's page has it).

Pages of themes with no dark mode (alabaster, sphinx-rtd-theme) stay light. Dark rules
apply on screens only: a page printed from a dark theme prints the light colours, and
every figure asks for its colours to be printed (``print-color-adjust: exact``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache

from ..colors import Palette

#: Ancestors that make a page dark whatever the reader's preference.
DARK_PAGES = (
    'html[data-theme="dark"]',
    'body[data-theme="dark"]',
    '[data-md-color-scheme="slate"]',
    'body[data-jp-theme-light="false"]',
    "body.vscode-dark",
    ".attnviz-dark",
)
#: Ancestors of pages that follow the reader's ``prefers-color-scheme``.
FOLLOWING_PAGES = ('body[data-theme="auto"]', ".attnviz-auto")
#: The class of a token's palette entry ``N`` is ``f"{ENTRY_PREFIX}{N}"``.
ENTRY_PREFIX = "c"

_LIGHT = (
    ".attnviz{print-color-adjust:exact;-webkit-print-color-adjust:exact}"
    ".attnviz-token{background-color:var(--av-bg);color:var(--av-fg)}"
    ".attnviz-missing{outline:1px dashed currentColor;outline-offset:-1px}"
    ".attnviz-legend-bar{background:var(--av-bar)}"
    ".attnviz-dark-only{display:none}"
)
_DARK = (
    "{pages} .attnviz-token{{background-color:var(--av-dark-bg);color:var(--av-dark-fg)}}"
    "{pages} .attnviz-legend-bar{{background:var(--av-dark-bar)}}"
    "{pages} .attnviz-dark-only{{display:inline}}"
)
#: The rules every figure shares (the same text in each figure's block).
SHARED_RULES = (
    _LIGHT
    + "@media screen{"
    + _DARK.format(pages=f":is({','.join(DARK_PAGES)})")
    + "}@media screen and (prefers-color-scheme:dark){"
    + _DARK.format(pages=f":is({','.join(FOLLOWING_PAGES)})")
    + "}"
)


def palette_class(cmap: str, dark_cmap: str | None) -> str:
    """The figure's class naming its pair of palettes, e.g. ``attnviz-p-BuGn``: rules keyed
    by it mean the same wherever they come from, so figures on one page never clash."""
    return "attnviz-p-" + _identifier(cmap) + ("--" + _identifier(dark_cmap) if dark_cmap is not None else "")


def _identifier(name: str) -> str:
    """``name`` if it is a safe CSS identifier part with no ``-`` (which :func:`palette_class`
    uses to join two names), else a digest of it."""
    if re.fullmatch(r"[A-Za-z0-9_]+", name):
        return name
    return "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def style_element(
    figure_class: str, light: Palette, dark: Palette, entries: Iterable[int], bars: tuple[str, str] | None
) -> str:
    """The ``<style>`` element of a figure: the shared rules, each palette entry in
    ``entries`` (its light and dark colours), and the legend's two gradients ``bars``."""
    rules = _entry_rules(figure_class, light, dark)
    parts = ["<style>", SHARED_RULES, *(rules[index] for index in sorted(set(entries)))]
    if bars is not None:
        parts.append(f".{figure_class} .attnviz-legend-bar{{--av-bar:{bars[0]};--av-dark-bar:{bars[1]}}}")
    parts.append("</style>")
    return "".join(parts)


@cache
def _entry_rules(figure_class: str, light: Palette, dark: Palette) -> tuple[str, ...]:
    """One rule per palette entry: its colours as custom properties."""
    return tuple(
        f".{figure_class} .{ENTRY_PREFIX}{index}{{--av-bg:{background};--av-fg:{_short(foreground)};"
        f"--av-dark-bg:{dark_background};--av-dark-fg:{_short(dark_foreground)}}}"
        for index, (background, foreground, dark_background, dark_foreground) in enumerate(
            zip(light.backgrounds, light.foregrounds, dark.backgrounds, dark.foregrounds, strict=True)
        )
    )


def _short(colour: str) -> str:
    """``#rrggbb`` as ``#rgb`` where that says the same (black and white text)."""
    if colour[1] == colour[2] and colour[3] == colour[4] and colour[5] == colour[6]:
        return "#" + colour[1] + colour[3] + colour[5]
    return colour


def gradient(stops: Iterable[str]) -> str:
    """A left-to-right CSS gradient through ``stops``."""
    return f"linear-gradient(to right, {', '.join(stops)})"
