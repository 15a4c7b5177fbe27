"""The doctree node of one visualisation and how each builder writes it.

The node is a ``container`` of plain paragraphs, one per row with the tokens as words:
what the search index sees, and what builders without a visitor of their own
(third-party ones) write when they show no image; those that do show images get the
figure drawn as one (:mod:`.images`), as every builder that shows images does for a
figure with ``:image:`` (its node's ``image`` is 1). HTML and LaTeX builders write the
core's fragment otherwise;
text, man and texinfo write every token with its score (``wow[0.03613]``) and the legend:
text a line per row, never re-wrapped; man and texinfo a paragraph per row, each token
verbatim in their own markup, which their readers fill, breaking lines only between tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.util.docutils import SphinxTranslator
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

    from ..options import VizOptions
    from ..visualization import Visualization

# The renderers (and numpy with them) are imported by the functions that use them, once a
# figure is drawn: a project that enables the extension without using it does not pay for them.

logger = logging.getLogger(__name__)


class attention_viz(nodes.container):  # noqa: N801 (docutils names nodes in lower case)
    """A visualisation; ``node["viz"]`` is the core's :class:`Visualization`, which the
    visitors draw from.

    ``viz`` is pickled with the doctree (incremental and parallel builds read it back) but
    never serialised: docutils writes a node's attributes through :meth:`attlist` (XML's
    ``starttag``, pseudo-XML's ``pformat``, ``asdom``), which leaves it out. What XML and
    pseudo-XML show is plain data: the node's ``tokens`` (taken from ``viz`` as it is
    written, not kept twice in the doctree) and the options used (``cmap``, ``vmin``,
    ``vmax``, ``center``, ``alpha``, ...), and each row paragraph's ``label`` and ``scores``.
    """

    def attlist(self) -> list[tuple[str, object]]:
        shown = [(name, value) for name, value in super().attlist() if name not in PRIVATE_ATTRIBUTES]
        if "viz" in self:  # a doctree pickled by an earlier release kept its own "tokens": the same list
            shown = [(name, value) for name, value in shown if name != "tokens"]
            shown.append(("tokens", list(self["viz"].tokens)))
        return sorted(shown)


#: Attributes only the visitors read, never serialised.
PRIVATE_ATTRIBUTES = frozenset({"viz"})


def paragraphs(lines: list[str]) -> list[nodes.paragraph]:
    """Plain paragraphs, kept out of translation catalogues."""
    return [nodes.paragraph("", line, translatable=False) for line in lines]


def make_node(viz: Visualization, options: VizOptions | None = None) -> attention_viz:
    """The node for ``viz`` drawn with ``options``; its text is kept verbatim (smart quotes
    would also eat backslashes). Each row paragraph holds its ``label`` (if any) and ``scores``."""
    from ..options import VizOptions
    from ..render.text import words_line

    rows = paragraphs([words_line(viz, row) for row in viz.rows])
    for paragraph, row in zip(rows, viz.rows, strict=True):
        if row.label is not None:
            paragraph["label"] = row.label
        paragraph["scores"] = row.scores.tolist()
    return attention_viz("", *rows, viz=viz, support_smartquotes=False, **options_used(viz, options or VizOptions()))


def options_used(viz: Visualization, options: VizOptions) -> dict[str, object]:
    """The options a figure was drawn with, as plain data (lists, strings,
    numbers): the scale's resolved range, and no attribute that is None (docutils would
    write it as ``"True"``)."""
    used: dict[str, object] = {
        "cmap": viz.cmap,
        "dark_cmap": viz.dark_cmap,
        "vmin": float(viz.scale.vmin),
        "vmax": float(viz.scale.vmax),
        "center": None if viz.scale.center is None else float(viz.scale.center),
        "alpha": float(options.alpha),
        "legend": int(viz.legend is not None),  # 1 or 0: docutils versions write a bool differently
        "subwords": options.subwords,
        "scale_ignore": sorted(options.scale_ignore),
        "layout": viz.layout,
        "viz_classes": list(viz.classes),
    }
    return {name: value for name, value in used.items() if value is not None and value != []}


def visit_html(translator: HTML5Translator, node: attention_viz) -> None:
    """The fragment, named for assistive technology by its figure's caption, if any;
    for EPUB, whose XHTML allows no ``<style>`` in the body, with inline colours."""
    from ..render.html import render_html

    epub = translator.builder.name.startswith("epub")
    # the node's ids (``:name:`` without ``:caption:``, a ``.. _label:`` before it) go on the
    # fragment's root: Sphinx's own tag for the node, which carries them, is never written
    html = render_html(node["viz"], name=caption_text(node), inline_colours=epub, ids=node["ids"])
    translator.body.append(html)
    raise nodes.SkipNode


def caption_text(node: attention_viz) -> str | None:
    """The text of the caption of the figure ``node`` sits in (``:caption:``), if any."""
    if isinstance(node.parent, nodes.figure):
        for child in node.parent.children:
            if isinstance(child, nodes.caption):
                return child.astext()
    return None


def visit_latex(translator: LaTeXTranslator, node: attention_viz) -> None:
    """The fragment for the project's ``latex_engine`` and font encodings (``fontenc``:
    with LGR, X2 or T2A pdflatex typesets Greek or Cyrillic); one warning per figure names
    the characters pdflatex cannot typeset (written as code-point markers)."""
    from ..render.latex import latex_fragment, unsupported_message
    from ..render.latex_text import fontenc_encodings

    engine = translator.config.latex_engine
    encodings = fontenc_encodings(translator.elements.get("fontenc", ""))
    fragment = latex_fragment(node["viz"], engine, encodings)
    if fragment.unsupported:
        message = unsupported_message(fragment.unsupported, engine, "latex_engine = 'xelatex' or 'lualatex' in conf.py")
        logger.warning(f"attention-viz: {message}", type="attnviz", subtype="latex", location=node)
    # ``:name:`` without ``:caption:``: a label for \ref and \hyperref, as Sphinx writes them
    labels = "".join(translator.hypertarget(id_, anchor=False) for id_ in own_ids(node))
    if labels:
        translator.body.append(f"\n\\par\\phantomsection{labels}%\n")
    translator.body.append(fragment.source)
    raise nodes.SkipNode


def own_ids(node: attention_viz) -> list[str]:
    """The ids a figure without a caption must write itself for a link to reach it (from
    ``:name:``): those no ``.. _label:`` target right before it writes already."""
    index = node.parent.index(node) if node.parent is not None else 0
    targeted = set()
    while index > 0 and isinstance(node.parent[index - 1], nodes.target):
        index -= 1
        targeted.add(node.parent[index].get("refid"))
    return [id_ for id_ in node["ids"] if id_ not in targeted]


def visit_texinfo(translator: SphinxTranslator, node: attention_viz) -> None:
    """The rows with their scores and the legend as paragraphs, each token verbatim
    (``@verb``: no dashes or curly quotes made of it), or the matrix view's grid as an
    ``@example``; an ``@anchor`` for ``:name:``."""
    from ..render.matrix import NARROW_TEXT_WIDTH, matrix_grid, matrix_notes
    from ..render.texinfo import TEXINFO
    from ..render.texinfo import preformatted as texinfo_preformatted
    from ..render.text import render_text_lines

    for id_ in own_ids(node):
        translator.add_anchor(id_, node)  # type: ignore[attr-defined]
    viz = node["viz"]
    if viz.view == "matrix":  # the grid, aligned
        notes = "".join(f"\n{TEXINFO.plain(note)}\n" for note in matrix_notes(viz))
        translator.body.append(texinfo_preformatted(matrix_grid(viz, NARROW_TEXT_WIDTH)) + notes)  # type: ignore[attr-defined]
        raise nodes.SkipNode
    for line in render_text_lines(viz, TEXINFO):
        translator.body.append(f"\n{line}\n")  # type: ignore[attr-defined]
    raise nodes.SkipNode


def visit_man(translator: SphinxTranslator, node: attention_viz) -> None:
    """The rows with their scores and the legend, each a paragraph of roff: tokens never
    hyphenated, never read as requests; the matrix view's grid unfilled, in a fixed-width font."""
    from ..render.matrix import NARROW_TEXT_WIDTH, matrix_grid, matrix_notes
    from ..render.roff import ROFF
    from ..render.roff import paragraphs as roff_paragraphs
    from ..render.roff import preformatted as roff_preformatted
    from ..render.text import render_text_lines

    translator.ensure_eol()  # type: ignore[attr-defined]
    viz = node["viz"]
    if viz.view == "matrix":  # the grid, aligned
        notes = roff_paragraphs([ROFF.line(ROFF.plain(note)) for note in matrix_notes(viz)])
        translator.body.append(roff_preformatted(matrix_grid(viz, NARROW_TEXT_WIDTH)) + notes)  # type: ignore[attr-defined]
    else:
        translator.body.append(roff_paragraphs(render_text_lines(viz, ROFF)))  # type: ignore[attr-defined]
    raise nodes.SkipNode


def visit_text(translator: SphinxTranslator, node: attention_viz) -> None:
    """The rows with their scores, and the legend, as :func:`render_text_lines` writes
    them (what ``attention-viz --format text`` prints), at the surrounding text's
    indentation: written the way the text writer writes a literal block, never re-wrapped
    at 70 columns. A row stays one line (a newline token goes on under the row's first
    token), a token and its score stay together. The model puts no line-separating
    character but those line breaks in a row, so the writer's ``splitlines()`` keeps them."""
    from ..render.text import render_text_lines

    translator.new_state(0)  # type: ignore[attr-defined]
    translator.add_text("\n".join(render_text_lines(node["viz"])))  # type: ignore[attr-defined]
    raise nodes.SkipChildren


def depart_text(translator: SphinxTranslator, node: attention_viz) -> None:
    translator.end_state(wrap=False)  # type: ignore[attr-defined]
