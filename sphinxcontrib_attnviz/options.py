"""The options every front shares, parsed from the text a user wrote into one record.

The directive, the command line and the plugin all hand their option strings to
:func:`parse_options`, so an option means the same and is checked the same everywhere.

This module imports nothing heavy (numpy and the modules that need it are imported by
the functions that use them): the Sphinx extension's ``setup()`` reads its names and
defaults, and a project that enables the extension without using it should not pay for more.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import OptionError

DEFAULT_CMAP = "BuGn"
DEFAULT_DIVERGING_CMAP = "RdBu_r"
DEFAULT_ALPHA = 1.0
#: The most tokens a figure may have in a docs build unless the project says otherwise
#: (``attnviz_max_tokens``, MkDocs' ``max_tokens``): enough for a long document, and it
#: keeps a mistaken huge file from being read whole into the page.
DEFAULT_MAX_TOKENS = 200_000
_TRUE = {"", "true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Defaults:
    """What an option is when the user does not give it (a project's configuration)."""

    cmap: str = DEFAULT_CMAP
    diverging_cmap: str = DEFAULT_DIVERGING_CMAP
    alpha: float = DEFAULT_ALPHA
    legend: bool = False
    #: The colormaps on dark pages of figures that use ``cmap`` or ``diverging_cmap`` (no
    #: ``:cmap:`` of their own); None: that colormap's dark variant.
    dark_cmap: str | None = None
    dark_diverging_cmap: str | None = None


#: How rows are laid out: ``flow`` wraps each row at the page's width (wrapped lines start
#: under the row's first token); ``aligned`` keeps each row on one line, scrolling sideways,
#: so that a token sits in the same column in every row.
LAYOUTS = ("flow", "aligned")
#: What a figure draws: ``tokens``, the coloured text (a line per row); ``matrix``, a
#: heatmap table, a column per token and a row per row (:mod:`.render.matrix`).
VIEWS = ("tokens", "matrix")


@dataclass(frozen=True)
class VizOptions:
    """How to colour and draw one visualisation."""

    cmap: str = DEFAULT_CMAP
    #: The colormap for dark pages; None: ``cmap``'s dark variant (:func:`..colors.dark_palette`).
    dark_cmap: str | None = None
    alpha: float = DEFAULT_ALPHA
    vmin: float | None = None
    vmax: float | None = None
    center: float | None = None
    legend: bool = False
    subwords: str = "none"
    scale_ignore: frozenset[str] = field(default_factory=frozenset)
    rows: tuple[str, ...] | None = None
    classes: tuple[str, ...] = ()
    #: One of LAYOUTS; None: ``aligned`` for several rows, ``flow`` for one.
    layout: str | None = None
    #: One of :data:`.normalize.NORMALIZATIONS`, per row or over the figure (:data:`.normalize.NORMALIZE_OVER`).
    normalize: str = "none"
    normalize_over: str = "row"
    #: One of :data:`.aggregate.AGGREGATIONS`: a word's score from its pieces' (with a subword scheme).
    aggregate: str = "none"
    #: One of :data:`VIEWS`.
    view: str = "tokens"

    def layout_for(self, rows: int) -> str:
        """The layout of a figure of ``rows`` rows."""
        return self.layout or ("aligned" if rows > 1 else "flow")


#: Option names as users write them; the fronts accept exactly these.
OPTION_NAMES = (
    "cmap",
    "dark-cmap",
    "alpha",
    "vmin",
    "vmax",
    "center",
    "legend",
    "subwords",
    "scale-ignore",
    "rows",
    "class",
    "layout",
    "normalize",
    "normalize-over",
    "aggregate",
    "view",
)
#: The directives' options about the data and the figure, besides :data:`OPTION_NAMES`
#: (the Sphinx directive and the MyST-MD plugin).
SOURCE_OPTIONS = ("tokens", "text", "scores")
FIGURE_OPTIONS = ("caption", "name")
#: Options of the Sphinx directive only (the MyST-MD plugin refuses them, naming why):
#: ``image`` draws the figure as an image for every builder that shows images.
SPHINX_OPTIONS = ("image",)
#: How a data file is read: its format, and an inseq file's sequence, step and reduction
#: (:mod:`.readers.files`); every front but the command line (``--format-in``) spells them so.
READ_OPTIONS = ("format", "sequence", "step", "reduce")
#: Every option the directives know, in the order the docs list them.
DIRECTIVE_OPTIONS = (*SOURCE_OPTIONS, *READ_OPTIONS, *OPTION_NAMES, *FIGURE_OPTIONS, *SPHINX_OPTIONS)


def __getattr__(name: str) -> Any:
    """The choices of the options whose values other modules define, imported on first use."""
    if name == "SUBWORD_SCHEMES":
        from .display import SCHEMES

        return SCHEMES
    if name == "AGGREGATIONS":
        from . import aggregate

        return aggregate.AGGREGATIONS
    if name in ("NORMALIZATIONS", "NORMALIZE_OVER"):
        from . import normalize

        return getattr(normalize, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_options(raw: Mapping[str, str | float | bool | None], defaults: Defaults | None = None) -> VizOptions:
    """Check and convert option values written as text; raise OptionError naming the option."""
    from .aggregate import AGGREGATIONS
    from .display import SCHEMES as SUBWORD_SCHEMES
    from .normalize import NORMALIZATIONS, NORMALIZE_OVER

    defaults = defaults or Defaults()
    unknown = sorted(set(raw) - set(OPTION_NAMES))
    if unknown:
        raise OptionError(unknown_options_message(unknown, OPTION_NAMES))
    center = _optional_float(raw, "center")
    vmin, vmax = _optional_float(raw, "vmin"), _optional_float(raw, "vmax")
    if center is not None and (vmin is not None or vmax is not None):
        raise OptionError("center cannot be combined with vmin or vmax (a centred scale sets both)")
    if vmin is not None and vmax is not None and vmin >= vmax:
        raise OptionError(f"vmin ({vmin:g}) must be below vmax ({vmax:g})")
    scale_ignore = frozenset(_comma_list(raw, "scale-ignore"))
    normalization = _choice(raw, "normalize", NORMALIZATIONS)
    if normalization == "none" and str(raw.get("normalize-over") or "").strip():
        raise OptionError("normalize-over says what normalize works over: give normalize too")
    return VizOptions(
        cmap=_cmap(raw, defaults, centred=center is not None),
        dark_cmap=_dark_cmap(raw, defaults, centred=center is not None),
        alpha=parse_alpha(raw["alpha"]) if "alpha" in raw else defaults.alpha,
        vmin=vmin,
        vmax=vmax,
        center=center,
        legend=parse_flag("legend", raw["legend"]) if "legend" in raw else defaults.legend,
        subwords=_choice(raw, "subwords", SUBWORD_SCHEMES),
        scale_ignore=scale_ignore,
        rows=tuple(_comma_list(raw, "rows")) if "rows" in raw else None,
        classes=tuple(str(raw.get("class") or "").split()),
        layout=_choice(raw, "layout", LAYOUTS) if str(raw.get("layout") or "").strip() else None,
        normalize=normalization,
        normalize_over=_choice(raw, "normalize-over", NORMALIZE_OVER),
        aggregate=_choice(raw, "aggregate", AGGREGATIONS),
        view=_choice(raw, "view", VIEWS),
    )


def check_option_names(names: Sequence[str], known: Sequence[str]) -> None:
    """Raise OptionError for the first of: ``names`` not in ``known``
    (:func:`unknown_options_message`), or names given more than once (``option 'cmap'
    given twice; give each option once``); every directive front words them this way."""
    unknown = [name for name in dict.fromkeys(names) if name not in known]
    if unknown:
        raise OptionError(unknown_options_message(unknown, known))
    repeated = [
        f"{name!r} {'given twice' if count == 2 else f'given {count} times'}"
        for name, count in Counter(names).items()
        if count > 1
    ]
    if repeated:
        raise OptionError(f"option {', '.join(repeated)}; give each option once")


def unknown_options_message(names: Sequence[str], known: Sequence[str], kind: str = "option") -> str:
    """Name the unknown options, suggest the closest known ones, list the known ones
    (``unknown option 'cmpa' (did you mean 'cmap'?); the options are ...``); every front
    words the mistake this way."""
    described = []
    for name in names:
        close = difflib.get_close_matches(name.lower(), known, n=2, cutoff=0.6)
        hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
        described.append(f"{name!r}{hint}")
    plural = "s" if len(names) > 1 else ""
    return f"unknown {kind}{plural} {', '.join(described)}; the {kind}s are {', '.join(known)}"


def parse_alpha(value: str | float | bool | None) -> float:
    """A finite alpha >= 0 from a number or its text (written as a score is:
    :data:`~.data.SCORE_SYNTAX`)."""
    alpha = parse_number("alpha", value, "a number >= 0")
    if not math.isfinite(alpha) or alpha < 0:
        raise OptionError(f"alpha must be a finite number >= 0, not {value!r}")
    return alpha


def parse_number(name: str, value: object, what: str = "a number") -> float:
    """A number option's value: an ``int`` or ``float`` (not a bool), or text written as a
    score is (:data:`~.data.SCORE_SYNTAX`: no ``1_0``, ASCII digits only), as a float
    (NaN and infinity included: the caller says whether they may be); OptionError naming
    ``name`` otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            raise OptionError(f"{name} must be {what}, not {value!r}: beyond the float range") from None
    from .data import SCORE_SYNTAX, number_hint  # text: numpy comes with them, as for any figure

    if isinstance(value, str) and SCORE_SYNTAX.fullmatch(value.strip()):
        return float(value)
    hint = number_hint(value) if isinstance(value, str) else ""
    raise OptionError(f"{name} must be {what}, not {value!r}{hint}")


def parse_flag(name: str, value: str | float | bool | None) -> bool:
    """A yes/no option: empty (the bare flag), true/yes/on/1 or false/no/off/0."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise OptionError(f"{name} must be true or false (or given with no value), not {value!r}")


def _cmap(raw: Mapping[str, object], defaults: Defaults, centred: bool) -> str:
    if "cmap" in raw:
        return _name(raw, "cmap")
    return defaults.diverging_cmap if centred else defaults.cmap


def _dark_cmap(raw: Mapping[str, object], defaults: Defaults, centred: bool) -> str | None:
    """``dark-cmap`` if given; else the project's dark default for figures on its default
    colormap; None (the colormap's dark variant) for figures that chose their own."""
    if "dark-cmap" in raw:
        return _name(raw, "dark-cmap")
    if "cmap" in raw:
        return None
    return defaults.dark_diverging_cmap if centred else defaults.dark_cmap


def _name(raw: Mapping[str, object], option: str) -> str:
    """A colormap's name, given as ``option``."""
    name = str(raw[option] or "").strip()
    if not name:
        raise OptionError(f"{option} needs a colormap name")
    return name


def _optional_float(raw: Mapping[str, object], name: str) -> float | None:
    if name not in raw:
        return None
    value = raw[name]
    number = parse_number(name, value)
    if not math.isfinite(number):
        raise OptionError(f"{name} must be a finite number, not {value!r}")
    return number


def _choice(raw: Mapping[str, object], name: str, choices: tuple[str, ...]) -> str:
    value = str(raw.get(name) or choices[0]).strip().lower()
    if value not in choices:
        raise OptionError(f"{name} must be one of {', '.join(choices)}, not {raw[name]!r}")
    return value


def _comma_list(raw: Mapping[str, object], name: str) -> list[str]:
    items = [item.strip() for item in str(raw.get(name) or "").split(",")]
    if name in raw and not any(items):
        raise OptionError(f"{name} needs a comma-separated list")
    return [item for item in items if item]
