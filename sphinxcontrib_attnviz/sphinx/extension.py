"""``setup()``: register the node, the directive, the config values and the CSS.

Nothing heavy is imported here: numpy, matplotlib, coloraide and the renderers come when
a directive runs or a figure is written, so that a project that enables the extension
without using it starts as fast as one without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from .. import __version__
from .config import add_config_values, check_config
from .directive import AttentionViz, forget_resolved_folders
from .nodes import attention_viz, depart_text, visit_html, visit_latex, visit_man, visit_texinfo, visit_text

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Raised whenever the doctree's nodes change what they keep, so that a project's pickled
#: doctrees are read again (2: the node's tokens are no longer kept as an attribute).
ENV_VERSION = 2
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
CSS_FILE = "attnviz.css"


def add_css_for_html(app: Sphinx) -> None:
    """Ship the stylesheet with HTML-format builders only (html, dirhtml, singlehtml, epub):
    link it from every page and write it into the output's ``_static`` folder.

    The file is written here, at ``builder-inited``, rather than by adding the package's
    folder to ``html_static_path``: a changed ``html_static_path`` is pickled with the
    environment, and the next build would say "The configuration has changed". It is
    written before any page, so that EPUB lists it in its manifest and packs it; a file
    of the same name in the project's own ``html_static_path`` is copied later and wins.
    """
    if app.builder.format != "html":
        return
    app.add_css_file(CSS_FILE)
    source = STATIC_DIR / CSS_FILE
    target = Path(app.builder.outdir) / "_static" / CSS_FILE
    if target.is_file() and target.read_bytes() == source.read_bytes():
        return  # unchanged: keep its timestamp
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def replace_with_images(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """On ``doctree-resolved``: :func:`.images.replace_with_images`, for pages with a figure
    (the drawing code, matplotlib's included, is imported for those only)."""
    if next(iter(doctree.findall(attention_viz)), None) is None:
        return
    from .images import replace_with_images as replace

    replace(app, doctree, docname)


def setup(app: Sphinx) -> dict[str, Any]:
    add_config_values(app)
    app.add_node(
        attention_viz,
        html=(visit_html, None),
        latex=(visit_latex, None),
        text=(visit_text, depart_text),
        man=(visit_man, None),
        texinfo=(visit_texinfo, None),
    )
    app.add_directive("attention-viz", AttentionViz)
    app.connect("config-inited", check_config)
    app.connect("builder-inited", add_css_for_html)
    app.connect("builder-inited", forget_resolved_folders)
    app.connect("doctree-resolved", replace_with_images)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": ENV_VERSION}
