"""Figures drawn as images: for builders that cannot show the fragment, and for ``:image:``.

HTML and LaTeX builders write the core's own markup, text, man and texinfo the tokens
with their scores (:mod:`.nodes`). Any other builder (rinohtype's PDF, a docx builder)
knows no ``attention_viz`` node: rinohtype stops the build on it, others write the bare
words of the node's paragraphs, without colours or scores. Every builder that shows
images can show the figure drawn as one, so those builders get an image. ``:image:``
asks for the image from every builder that shows images, HTML and LaTeX included: for
themes, e-readers and sanitisers that strip ``<style>`` and inline styles, and with them
every colour. Builders that show no image (text, man, gettext, xml, pseudoxml, linkcheck,
dummy) keep the node: their own writing of it is all they can show, and xml and pseudoxml
keep it as data.

The swap is made on ``doctree-resolved``, once Sphinx has resolved a page for writing
(for builders that assemble one document, LaTeX, rinohtype, singlehtml, once for the
whole), as ``sphinx.ext.imgconverter`` makes its images: the file is drawn by
:func:`~..render.image.save_image` into a folder of the doctree directory, registered in
``env.images``, and the builder copies it into its output (``_images`` for HTML, next to
the ``.tex`` file for LaTeX) with the project's own images, in the first of the
builder's ``supported_image_types`` that :func:`save_image` draws: SVG for HTML and
EPUB, PDF for LaTeX and rinohtype, PNG for texinfo. (An event handler, rather than a
post-transform: it gets the builder from Sphinx directly, where a post-transform would
need ``SphinxTransform.app``, deprecated in Sphinx 9, or ``env._builder_cls``, missing
in Sphinx 7.4.)

The file is named after a hash of what it shows and how it is drawn (the figure's
fragment and text, the format, the versions of this package and matplotlib, the drawing
code), so an unchanged figure is never drawn twice: not in an incremental build, not by
another builder of the same format, and parallel builds (which resolve pages in the
main process) name it alike. The image's ``alt`` text is the figure's text rendering,
every token with its score, so that screen readers still get the data.

A figure that cannot be drawn is one ``attnviz.image`` warning at its directive; the
build goes on, and the figure is written as the builder writes it without an image (for
builders without a visitor of ours, the rows with their scores as paragraphs). Characters
no font has are one ``attnviz.image`` warning per figure, each time the page is written.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from .. import __version__
from ..render import canvas, fonts, matrix, matrix_image
from ..render import image as image_module
from ..render.html import render_html
from ..render.image import save_image
from ..render.text import render_text_lines
from ..visualization import Visualization
from .nodes import attention_viz, own_ids, paragraphs

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

logger = logging.getLogger(__name__)

#: The image types :func:`save_image` draws, as builders name them (``supported_image_types``).
MIMETYPE_FORMATS = {"image/svg+xml": "svg", "application/pdf": "pdf", "image/png": "png"}
#: The modules whose code draws an image: a change to any of them draws every image anew.
DRAWING_MODULES = (image_module, canvas, fonts, matrix, matrix_image)
#: Builder formats that keep the node whatever it asks: they show the doctree as data.
DATA_FORMATS = frozenset({"xml", "pseudoxml"})
#: Where the images are drawn, in the doctree directory (``sphinx.ext.imgconverter`` uses ``images``).
IMAGE_FOLDER = "attnviz-images"
#: Suffix of the file that keeps a drawing's warnings, to give them again when it is reused.
WARNINGS_SUFFIX = ".warnings"


def builder_image_format(builder: Builder) -> tuple[str, str] | None:
    """The mimetype and :func:`save_image` format of the builder's most preferred image
    type that can be drawn; None for a builder that shows no image, or shows the node as data."""
    if builder.format in DATA_FORMATS:
        return None
    for mimetype in builder.supported_image_types:
        if mimetype in MIMETYPE_FORMATS:
            return mimetype, MIMETYPE_FORMATS[mimetype]
    return None


def has_visitor(app: Sphinx) -> bool:
    """Whether the builder writes ``attention_viz`` nodes itself: our handlers for its name,
    else for its format (as Sphinx looks them up), or a translator that knows the node."""
    builder, registry = app.builder, app.registry
    handlers = registry.translation_handlers.get(builder.name)
    if handlers is None:
        handlers = registry.translation_handlers.get(builder.format, {})
    if attention_viz.__name__ in handlers:
        return True
    translator = registry.translators.get(builder.name) or getattr(builder, "default_translator_class", None)
    return translator is not None and hasattr(translator, f"visit_{attention_viz.__name__}")


def alt_text(viz: Visualization) -> str:
    """Every token with its score, a line per row, then the legend: what the text builder writes."""
    return "\n".join(render_text_lines(viz))


@cache
def _drawing_versions() -> str:
    """This package's and matplotlib's versions and a digest of the drawing code: a
    change to any of them may change the drawing, so it draws anew."""
    try:
        matplotlib_version = version("matplotlib")
    except PackageNotFoundError:  # pragma: no cover - matplotlib is a dependency
        matplotlib_version = "?"
    code = hashlib.sha256()
    for module in DRAWING_MODULES:
        code.update(Path(module.__file__ or "").read_bytes())
    return f"{__version__}\0{matplotlib_version}\0{code.hexdigest()}"


def image_name(viz: Visualization, file_format: str) -> str:
    """The file's name: a hash of what the image shows (the fragment carries every
    token's display text, colours, the labels and the legend; the text every score) and
    of how it is drawn."""
    digest = hashlib.sha256()
    for part in (_drawing_versions(), file_format, render_html(viz), *render_text_lines(viz)):
        digest.update(part.encode("utf-8", "backslashreplace"))
        digest.update(b"\0")
    return f"attnviz-{digest.hexdigest()[:24]}.{file_format}"


def draw(viz: Visualization, path: Path, file_format: str) -> list[str]:
    """Draw ``viz`` to ``path`` unless it is there already; return the drawing's warnings
    (kept next to the file, so that reusing it gives them again).

    The file is written under a temporary name and moved into place: a build stopped
    midway, or another build drawing the same figure, never leaves half a file."""
    notes = path.with_name(path.name + WARNINGS_SUFFIX)
    if path.is_file():
        return notes.read_text(encoding="utf-8").splitlines() if notes.is_file() else []
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)  # every figure's, not the first one's only
            save_image(viz, partial, file_format)
        messages = []
        for warning in caught:
            if issubclass(warning.category, UserWarning):  # the glyphs no font has (save_image)
                messages.append(" ".join(str(warning.message).split()))
            else:  # anything else (a deprecation in matplotlib) goes on as it came
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        if messages:
            notes.write_text("\n".join(messages) + "\n", encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return messages


def image_nodes(node: attention_viz, uri: str, mimetype: str, builder: Builder) -> list[nodes.Element]:
    """The image that takes the node's place, with its alt text, classes and source, and
    the node's link targets (``:name:`` without ``:caption:``, a ``.. _label:`` before it).

    HTML writes the targets as the ``<img>``'s ids. Sphinx's LaTeX and texinfo writers
    write no image's ids, so there a target before the image holds the ids that no
    ``.. _label:`` target before it writes already (:func:`.nodes.own_ids`), as the
    node's own visitors write them; so for any other builder."""
    viz: Visualization = node["viz"]
    image = nodes.image(uri=uri, candidates={mimetype: uri}, alt=alt_text(viz))
    image["classes"] = ["attnviz-image", *viz.classes]
    image.source, image.line = node.source, node.line
    if builder.format == "html":
        image["ids"] = list(node["ids"])
        return [image]
    ids = own_ids(node)
    return [nodes.target("", "", ids=ids), image] if ids else [image]


def fallback(node: attention_viz) -> nodes.container:
    """For a builder without a visitor of ours when the image cannot be drawn: the rows
    with their scores as plain paragraphs, which any builder writes."""
    return nodes.container("", *paragraphs(render_text_lines(node["viz"])), classes=["attnviz-text"])


def replace_with_images(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """On ``doctree-resolved``: each figure the builder should show as an image becomes one."""
    builder = app.builder
    chosen = builder_image_format(builder)
    if chosen is None:
        return
    mimetype, file_format = chosen
    everywhere = not has_visitor(app)
    folder = Path(app.doctreedir) / IMAGE_FOLDER
    for node in list(doctree.findall(attention_viz)):
        if not (everywhere or node.get("image")):
            continue
        try:
            path = folder / image_name(node["viz"], file_format)
            messages = draw(node["viz"], path, file_format)
        except Exception as error:  # matplotlib's errors share no base: no figure stops the build
            logger.warning(
                f"attention-viz: cannot draw the figure as an image ({file_format}): {error}",
                type="attnviz",
                subtype="image",
                location=node,
            )
            if everywhere:
                node.replace_self(fallback(node))
            continue
        for message in messages:
            logger.warning(f"attention-viz: image: {message}", type="attnviz", subtype="image", location=node)
        uri = os.fspath(path)
        app.env.images.add_file(docname, uri)
        node.replace_self(image_nodes(node, uri, mimetype, builder))
