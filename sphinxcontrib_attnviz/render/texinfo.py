"""Texinfo: the text output's rows, with each token verbatim.

Texinfo turns ``--`` and ``---`` into dashes and quotes into typographic ones in its
printed and HTML output, except inside ``@verb`` (Texinfo manual, "@verb"), which also
takes ``@``, braces and any other character as written. So each token's display text
is written as ``@verb{|token|}`` (with a delimiter the token does not hold), the rest
escaped (``@``, ``{``, ``}``), and a line break as ``@*``.
"""

from __future__ import annotations

import re

from .text import TextMarkup

#: Candidates for @verb's delimiter, in order of preference.
_DELIMITERS = "|!#^~+=;/\"'*`$%&?-_<>.:"
_ESCAPES = str.maketrans({"@": "@@", "{": "@{", "}": "@}"})
_BREAKS = {"-": "-@asis{}", "'": "@verb{|'|}", "`": "@verb{|`|}"}
_LIGATURE_BREAKS = re.compile("-(?=-)|['`]")


def escape_texinfo(text: str) -> str:
    """Plain text with Texinfo's command characters escaped, and no dash or curly quote
    made of it: ``--`` is broken with ``@asis{}``, quotes are ``@verb``."""
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


TEXINFO = TextMarkup(plain=escape_texinfo, token=verbatim, line_break=lambda indent: "@*\n")
