"""roff for man pages: the text output's rows, each token kept whole and verbatim.

Escapes follow groff(7) and man(7): a backslash is ``\\e``; ``-``, ``'`` and `````
are ``\\-``, ``\\(aq`` and ``\\(ga`` so that no hyphen, quote or accent is made of them.
Each row starts a paragraph (``.sp``) and is filled: lines break only between words, at
the row's ordinary spaces. A token's, a score note's and a label's spaces are ``\\ ``,
an unbreakable space of fixed width (``\\~`` would stretch when the line is adjusted,
and groff overprints a word of them that is wider than the line), so ``a b[0.1]`` and
``[0.2469 clipped]`` are never parted. Every word of the figure starts with ``\\%``,
which keeps roff from hyphenating it (a token that follows a gap such as ``(`` is in
the gap's word). A line break in a row is ``.br``, and every output line starts with
``\\&``, so no token is read as a request.
"""

from __future__ import annotations

import re

from .text import TextMarkup

_ESCAPES = str.maketrans({"\\": "\\e", "-": "\\-", "'": "\\(aq", "`": "\\(ga"})
#: Where a word begins: the line's start, after a ``.br`` and ``\\&``, or after an
#: ordinary space (not ``\\ ``); ``\\%`` goes there.
_WORD_START = re.compile(r"(\A|\n\\&|(?<!\\) )(?=[^ \n])")


def escape_roff(text: str) -> str:
    """Plain text as roff that shows it as written."""
    return text.translate(_ESCAPES)


def unbreakable(text: str) -> str:
    """Text as roff with its spaces unbreakable: a token's display text, a score note, a label."""
    return escape_roff(text).replace(" ", "\\ ")


def unhyphenated(line: str) -> str:
    """``\\%`` at the start of every word of ``line``: roff hyphenates none of them."""
    return _WORD_START.sub(r"\1\\%", line)


ROFF = TextMarkup(
    plain=escape_roff,
    token=unbreakable,
    unbroken=unbreakable,
    line_break=lambda indent: "\n.br\n\\&",
    line=unhyphenated,
)


def paragraphs(lines: list[str]) -> str:
    """Each line a paragraph of its own."""
    return "".join(f".sp\n\\&{line}\n" for line in lines)


def preformatted(lines: list[str]) -> str:
    """Lines kept as they are, in a fixed-width font (``.nf`` and ``.ft C``, as Sphinx's man
    writer sets a literal block): the matrix view's aligned grid."""
    body = "".join(f"\\&{escape_roff(line)}\n" for line in lines)
    return f".sp\n.nf\n.ft C\n{body}.ft P\n.fi\n"
