"""The extension's configuration values, all prefixed ``attnviz_``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from ..errors import OptionError
from ..options import DEFAULT_ALPHA, DEFAULT_CMAP, DEFAULT_DIVERGING_CMAP, DEFAULT_MAX_TOKENS, parse_alpha

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

#: name, default, types; all are baked into doctrees, so changing one re-reads every page.
CONFIG_VALUES: tuple[tuple[str, Any, tuple[type, ...]], ...] = (
    ("attnviz_default_cmap", DEFAULT_CMAP, (str,)),
    ("attnviz_default_diverging_cmap", DEFAULT_DIVERGING_CMAP, (str,)),
    ("attnviz_default_alpha", DEFAULT_ALPHA, (float, int)),
    ("attnviz_default_legend", False, (bool,)),
    ("attnviz_dark_cmap", None, (str, type(None))),
    ("attnviz_dark_diverging_cmap", None, (str, type(None))),
    ("attnviz_allow_outside_srcdir", False, (bool,)),
    ("attnviz_max_tokens", DEFAULT_MAX_TOKENS, (int, type(None))),  # checked in check_config
)


def add_config_values(app: Sphinx) -> None:
    """Register every ``attnviz_*`` value with Sphinx."""
    for name, default, types in CONFIG_VALUES:
        app.add_config_value(name, default, "env", types=types)


def check_config(app: Sphinx, config: Config) -> None:
    """On ``config-inited``: a bad ``attnviz_default_alpha`` is one typed warning, and the
    default 1.0 is used instead. (Sphinx itself checks the values' types.)"""
    try:
        parse_alpha(config.attnviz_default_alpha)
    except OptionError as error:
        logger.warning(
            f"conf.py: attnviz_default_alpha: {error.message}; using {DEFAULT_ALPHA}", type="attnviz", subtype="config"
        )
        config.attnviz_default_alpha = DEFAULT_ALPHA
    try:
        if not _is_default_max_tokens(config.attnviz_max_tokens):  # the default is fine, and keeps numpy unimported
            from ..data import parse_max_tokens

            parse_max_tokens(config.attnviz_max_tokens)
    except OptionError as error:
        message = f"conf.py: attnviz_max_tokens {error.message} (or None for no limit); using {DEFAULT_MAX_TOKENS}"
        logger.warning(message, type="attnviz", subtype="config")
        config.attnviz_max_tokens = DEFAULT_MAX_TOKENS
    for name in ("attnviz_dark_cmap", "attnviz_dark_diverging_cmap"):
        value = getattr(config, name)
        if value is None:
            continue  # the default: nothing to check, and matplotlib stays unimported
        try:
            from ..colors import colormap

            colormap(value)
        except OptionError as error:
            message = f"conf.py: {name}: {error.message}; using each colormap's dark variant"
            logger.warning(message, type="attnviz", subtype="config")
            setattr(config, name, None)


def _is_default_max_tokens(value: object) -> bool:
    return type(value) is int and value == DEFAULT_MAX_TOKENS
