"""Token scores (attention, saliency, attributions) drawn as coloured text.

The Sphinx extension is enabled with ``extensions = ["sphinxcontrib_attnviz"]``;
``render_html`` gives the same HTML fragment from Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .options import DEFAULT_ALPHA, DEFAULT_CMAP

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"
__all__ = ["__version__", "render_html", "setup"]


def render_html(
    tokens: Sequence[str], scores: Sequence[float], cmap: str = DEFAULT_CMAP, alpha: float = DEFAULT_ALPHA
) -> str:
    """The HTML fragment of ``tokens`` coloured by ``scores`` (as the directive draws it)."""
    from .render.html import render_html as render
    from .visualization import visualize_lists

    return render(visualize_lists(tokens, scores, cmap, alpha))


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: register the ``attention-viz`` directive and its config values."""
    from .sphinx.extension import setup as setup_extension

    return setup_extension(app)
