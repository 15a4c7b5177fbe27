"""roff for man pages: the text output's rows, each token kept whole and verbatim.

Escapes follow groff(7) and man(7): a backslash is ``\\e``; ``-``, ``'`` and `````
are ``\\-``, ``\\(aq`` and ``\\(ga`` so that no hyphen, quote or accent is made of them;
``\\%`` where a word begins (a token, or a word's first piece) keeps it from being
hyphenated; a token's inner spaces and a score note's space are ``\\~`` (no line break
inside ``a b[0.1]`` or ``[0.2469 clipped]``); each row starts a paragraph (``.sp``) and
a line break is ``.br``. Every output line starts with ``\\&`` or ``\\%``, so no token
is read as a request.
"""

from __future__ import annotations

from .text import TextMarkup

_ESCAPES = str.maketrans({"\\": "\\e", "-": "\\-", "'": "\\(aq", "`": "\\(ga"})


def escape_roff(text: str) -> str:
    """Plain text as roff that shows it as written."""
    return text.translate(_ESCAPES).replace(" clipped]", "\\~clipped]")


def token(text: str) -> str:
    """A token's display text, its inner spaces unbreakable."""
    return escape_roff(text).replace(" ", "\\~")


ROFF = TextMarkup(plain=escape_roff, token=token, line_break=lambda indent: "\n.br\n\\&", word_start="\\%")


def paragraphs(lines: list[str]) -> str:
    """Each line a paragraph of its own."""
    return "".join(f".sp\n\\&{line}\n" for line in lines)
