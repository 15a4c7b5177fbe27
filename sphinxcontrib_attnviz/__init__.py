"""Token scores (attention, saliency, attributions) drawn as coloured text.

The Sphinx extension is enabled with ``extensions = ["sphinxcontrib_attnviz"]``;
``render_html`` gives the same HTML fragment from Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"
__all__ = ["__version__", "render_html", "setup"]


def render_html(
    tokens: Sequence[str], scores: Sequence[float] | Mapping[str, Sequence[float]], **options: str | float | bool
) -> str:
    """The HTML fragment of ``tokens`` coloured by ``scores``, as the directive draws it.

    ``scores`` is one sequence or a mapping of row labels to sequences; ``options``
    are the directive's (``cmap="viridis"``, ``alpha=0.5``, ``center=0``, ``legend=True``,
    ``scale_ignore="[CLS],[SEP]"``, ...).
    """
    from .render.html import render_html as render
    from .visualization import visualize_lists

    return render(visualize_lists(tokens, scores, **options))


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: register the ``attention-viz`` directive and its config values."""
    from .sphinx.extension import setup as setup_extension

    return setup_extension(app)
