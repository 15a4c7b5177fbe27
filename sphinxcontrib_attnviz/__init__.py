"""Token scores (attention, saliency, attributions) drawn as coloured text.

The Sphinx extension is enabled with ``extensions = ["sphinxcontrib_attnviz"]``;
:func:`render_html` and :class:`AttentionViz` give the same pictures from Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from .api import AttentionViz, render_html

__version__ = "0.1.0"
__all__ = ["AttentionViz", "__version__", "render_html", "setup"]


def __getattr__(name: str) -> Any:
    """The API, imported on first use, so that enabling the extension stays cheap."""
    if name in ("AttentionViz", "render_html"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: register the ``attention-viz`` directive and its config values."""
    from .sphinx.extension import setup as setup_extension

    return setup_extension(app)
