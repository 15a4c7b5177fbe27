"""The HTML fragment: one ``div.attnviz`` of coloured, escaped token spans.

No ``<script>``, no ``<style>`` element, no external URL: colours are inline styles,
scores are tooltips (``title``), and every token is escaped as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from ..visualization import Visualization

ROOT_CLASS = "attnviz"
TOKEN_CLASS = "attnviz-token"


#: Beyond ``html.escape``: a raw CR would be read as LF, and NUL cannot stand in
#: HTML text at all (browsers drop it), so it is shown as U+FFFD.
_TEXT_EXTRAS = str.maketrans({"\r": "&#13;", "\x00": "&#xfffd;"})


def escape_text(text: str) -> str:
    """``text`` escaped so that a browser shows it verbatim, in element text or an attribute."""
    return escape(text, quote=True).translate(_TEXT_EXTRAS)


def format_score(score: float) -> str:
    """A score as a tooltip shows it: 4 significant digits."""
    return f"{score:#.4g}"


def token_spans(viz: Visualization) -> Iterable[str]:
    """One ``<span>`` per token, in order."""
    for token, score, background, foreground in zip(
        viz.tokens, viz.scores, viz.backgrounds, viz.foregrounds, strict=True
    ):
        yield (
            f'<span class="{TOKEN_CLASS}" style="background-color: {background}; color: {foreground}" '
            f'title="{format_score(score)}">{escape_text(token)}</span>'
        )


def render_html(viz: Visualization, classes: Iterable[str] = ()) -> str:
    """The fragment for ``viz``; ``classes`` are added to the root element."""
    class_attribute = escape_text(" ".join([ROOT_CLASS, *classes]))
    return f'<div class="{class_attribute}">' + " ".join(token_spans(viz)) + "</div>"
