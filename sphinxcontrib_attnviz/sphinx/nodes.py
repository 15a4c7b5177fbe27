"""The doctree node of one visualisation and how each builder writes it.

The node subclasses ``paragraph`` and holds the tokens as its text, so every
builder without a visitor of its own (LaTeX, text, man, texinfo, third-party
Sphinx builders) falls back to writing the tokens as a plain paragraph.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

from ..render.html import render_html
from ..visualization import Visualization


class attention_viz(nodes.paragraph):  # noqa: N801 (docutils names nodes in lower case)
    """A visualisation; ``node["viz"]`` is the core's :class:`Visualization`."""


def make_node(viz: Visualization) -> attention_viz:
    """The node for ``viz``: the tokens as text, verbatim (no smart quotes, which would
    also eat backslashes) and excluded from translation catalogues."""
    node = attention_viz("", nodes.Text(" ".join(viz.tokens)), viz=viz)
    node["translatable"] = False
    node["support_smartquotes"] = False
    return node


def visit_html(translator: HTML5Translator, node: attention_viz) -> None:
    """Write the HTML fragment in place of the plain-text fallback."""
    translator.body.append(render_html(node["viz"], node["classes"]))
    raise nodes.SkipNode
