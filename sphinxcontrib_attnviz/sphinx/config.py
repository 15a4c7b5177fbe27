"""The extension's configuration values, all prefixed ``attnviz_``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..options import DEFAULT_ALPHA, DEFAULT_CMAP, DEFAULT_DIVERGING_CMAP

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: name, default, types; all are baked into doctrees, so changing one re-reads every page.
CONFIG_VALUES: tuple[tuple[str, Any, tuple[type, ...]], ...] = (
    ("attnviz_default_cmap", DEFAULT_CMAP, (str,)),
    ("attnviz_default_diverging_cmap", DEFAULT_DIVERGING_CMAP, (str,)),
    ("attnviz_default_alpha", DEFAULT_ALPHA, (float, int)),
    ("attnviz_default_legend", False, (bool,)),
    ("attnviz_allow_outside_srcdir", False, (bool,)),
)


def add_config_values(app: Sphinx) -> None:
    """Register every ``attnviz_*`` value with Sphinx."""
    for name, default, types in CONFIG_VALUES:
        app.add_config_value(name, default, "env", types=types)
