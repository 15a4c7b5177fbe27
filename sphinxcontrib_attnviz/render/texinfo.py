"""Texinfo: the text output's rows, with each token verbatim.

Texinfo turns ``--`` and ``---`` into dashes and quotes into typographic ones in its
printed and HTML output, except inside ``@verb`` (Texinfo manual, "@verb"), which also
takes ``@``, braces and any other character as written. So each token's display text
is written as ``@verb{|token|}`` (with a delimiter the token does not hold), the rest
escaped (``@``, ``{``, ``}``), and a line break as ``@*``.

makeinfo and TeX fill each row, breaking its lines at the spaces between tokens:
``@verb`` keeps a token's inner spaces together (in Info, plain text and TeX), and each
score note and label is ``@w{[0.2469 clipped]}``, never parted. TeX may still break a
token after a hyphen it holds, as ``@verb`` cannot stand inside ``@w``.
"""

from __future__ import annotations

import re

from .text import TextMarkup

#: Candidates for @verb's delimiter, in order of preference.
_DELIMITERS = "|!#^~+=;/\"'*`$%&?-_<>.:"
_ESCAPES = str.maketrans({"@": "@@", "{": "@{", "}": "@}"})
_BREAKS = {"-": "-@w{}", "'": "@verb{|'|}", "`": "@verb{|`|}"}
_LIGATURE_BREAKS = re.compile("-(?=-)|['`]")


def escape_texinfo(text: str) -> str:
    """Plain text with Texinfo's command characters escaped, and no dash or curly quote
    made of it: ``--`` is broken with ``@w{}`` (TeX still joins ``-@asis{}-`` into a
    dash), quotes are ``@verb``."""
    return _LIGATURE_BREAKS.sub(lambda match: _BREAKS[match.group()], text.translate(_ESCAPES))


def verbatim(text: str) -> str:
    """``text`` as ``@verb``, shown exactly as written; escaped plain text in the rare
    case that it holds every delimiter."""
    if not text:
        return ""
    for delimiter in _DELIMITERS:
        if delimiter not in text:
            return f"@verb{{{delimiter}{text}{delimiter}}}"
    return escape_texinfo(text)


def unbroken(text: str) -> str:
    """Plain text kept on one line (``@w``): a score note, a label; a label that holds a
    quote stays breakable, as ``@w`` cannot hold the ``@verb`` the quote is written as."""
    escaped = escape_texinfo(text)
    return escaped if "@verb" in escaped else f"@w{{{escaped}}}"


TEXINFO = TextMarkup(plain=escape_texinfo, token=verbatim, unbroken=unbroken, line_break=lambda indent: "@*\n")


def preformatted(lines: list[str]) -> str:
    """Lines kept as they are, in a fixed-width font (``@example``, where Texinfo makes no
    dash or curly quote and keeps every space): the matrix view's aligned grid."""
    body = "".join(f"{line.translate(_ESCAPES)}\n" for line in lines)
    return f"\n@example\n{body}@end example\n"
