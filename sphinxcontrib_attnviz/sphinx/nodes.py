"""The doctree node of one visualisation and how each builder writes it.

The node is a ``container`` whose children are plain paragraphs, one per row
(``wow[0.03613] great[0.2670] ...``) and one for the legend: builders without a
visitor of their own (text, man, texinfo, third-party ones) write those. HTML and
LaTeX builders write the core's fragment instead.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

from ..render.html import render_html
from ..render.latex import render_latex
from ..render.text import render_text_lines
from ..visualization import Visualization


class attention_viz(nodes.container):  # noqa: N801 (docutils names nodes in lower case)
    """A visualisation; ``node["viz"]`` is the core's :class:`Visualization`."""


def make_node(viz: Visualization) -> attention_viz:
    """The node for ``viz``, its text fallback verbatim (no smart quotes, which would
    also eat backslashes) and kept out of translation catalogues."""
    lines = [nodes.paragraph("", line, translatable=False) for line in render_text_lines(viz)]
    return attention_viz("", *lines, viz=viz, support_smartquotes=False)


def visit_html(translator: HTML5Translator, node: attention_viz) -> None:
    translator.body.append(render_html(node["viz"]))
    raise nodes.SkipNode


def visit_latex(translator: LaTeXTranslator, node: attention_viz) -> None:
    translator.body.append(render_latex(node["viz"], translator.encode))
    raise nodes.SkipNode
