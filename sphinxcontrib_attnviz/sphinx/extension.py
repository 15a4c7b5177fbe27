"""``setup()``: register the node, the directive, the config values and the CSS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from .config import add_config_values, check_config
from .directive import AttentionViz
from .nodes import attention_viz, depart_text, visit_html, visit_latex, visit_man, visit_texinfo, visit_text

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
CSS_FILE = "attnviz.css"


def add_css_for_html(app: Sphinx) -> None:
    """Ship the stylesheet with HTML-format builders only (html, dirhtml, singlehtml, epub)."""
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC_DIR))
        app.add_css_file(CSS_FILE)


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
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
