"""From tokens and scores to coloured tokens: the one pipeline every front calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import colors
from .aggregate import word_scores
from .data import TokenScores
from .display import TokenDisplay, detect_scheme, display_offsets, display_tokens, inline
from .errors import DataError, OptionError
from .normalize import Normalization, normalize
from .options import VizOptions, parse_options
from .scale import ColourScale, choose_scale

#: How many colours of the colormap a legend's gradient samples.
LEGEND_STOPS = 17


@dataclass(frozen=True, eq=False)
class ColouredRow:
    """One row's scores and colours: ``colour_index`` picks each token's entry of the
    palette; ``clipped`` marks scores outside the scale, ``missing`` cells with no score
    (NaN: drawn without colour; their ``colour_index`` means nothing). Arrays, so long
    texts stay light."""

    label: str | None
    scores: np.ndarray
    colour_index: np.ndarray
    clipped: np.ndarray
    palette: colors.Palette
    missing: np.ndarray
    #: The scores as given, when ``scores`` are normalised (:mod:`.normalize`); else None.
    raw_scores: np.ndarray | None = None

    @property
    def used_entries(self) -> np.ndarray:
        """How many tokens use each palette entry (missing cells use none)."""
        return np.bincount(self.colour_index[~self.missing], minlength=len(self.palette.backgrounds))

    @property
    def backgrounds(self) -> tuple[str, ...]:
        table = self.palette.backgrounds
        return tuple(table[index] for index in self.colour_index.tolist())

    @property
    def foregrounds(self) -> tuple[str, ...]:
        table = self.palette.foregrounds
        return tuple(table[index] for index in self.colour_index.tolist())


@dataclass(frozen=True)
class Legend:
    """A colour bar: the colormap sampled from ``vmin`` to ``vmax``, for light and dark pages."""

    cmap: str
    scale: ColourScale
    stops: tuple[str, ...]
    #: The colormap dark pages use, when it is not ``cmap``'s dark variant.
    dark_cmap: str | None = None
    #: The subword scheme, when ``auto`` found it (said after the colormap's name).
    scheme_note: str | None = None
    #: The lowest and highest of the scores that set the range (to say how far it reaches past them).
    score_range: tuple[float, float] = (0.0, 0.0)
    alpha: float = 0.0
    #: What was done to the scores before they were coloured, if anything.
    normalization: Normalization | None = None
    #: How a word's score came from its pieces' (:mod:`.aggregate`), if it did.
    aggregation: str | None = None

    @property
    def dark_stops(self) -> tuple[str, ...]:
        """The bar's colours on dark pages (worked out when an HTML renderer asks)."""
        return colors.dark_stops(LEGEND_STOPS, self.cmap, self.dark_cmap)


@dataclass(frozen=True)
class Visualization:
    """Everything a renderer needs, whatever the output format."""

    tokens: tuple[str, ...]  # as in the data
    display: TokenDisplay  # what each token shows, and what is drawn between them
    rows: tuple[ColouredRow, ...]
    cmap: str
    scale: ColourScale
    #: The colormap dark pages use, when it is not ``cmap``'s dark variant.
    dark_cmap: str | None = None
    legend: Legend | None = None
    classes: tuple[str, ...] = ()
    layout: str = "flow"
    #: What was done to the scores before they were coloured, if anything.
    normalization: Normalization | None = None
    #: How a word's score came from its pieces' (:mod:`.aggregate`), if it did.
    aggregation: str | None = None
    #: ``tokens`` (coloured text) or ``matrix`` (a heatmap table): :data:`.options.VIEWS`.
    view: str = "tokens"
    #: The token each row stands for, None for a row that stands for none
    #: (:attr:`.data.TokenScores.row_tokens`), and what those tokens show, decoded in
    #: order under the scheme the columns' tokens are in.
    row_tokens: tuple[str | None, ...] | None = None
    row_display: TokenDisplay | None = None

    @property
    def dark_palette(self) -> colors.Palette:
        """Entry for entry with each row's palette: the colours on dark pages (worked out
        when an HTML renderer asks, once per pair of colormaps)."""
        return colors.dark_palette(self.cmap, self.dark_cmap)


def visualize(data: TokenScores, options: VizOptions | None = None) -> Visualization:
    """Colour ``data`` as ``options`` say: one scale shared by every row, set by the
    scores present (missing cells, NaN, are left out).

    Raises OptionError for an unknown colormap, unknown rows, or when every token is
    left out of the scale; DataError when the scale overflows or every score it would
    take is missing.
    """
    options = options or VizOptions()
    palette = colors.palette(options.cmap)
    if options.dark_cmap is not None:
        colors.colormap(options.dark_cmap)  # an unknown name is an error here, whatever the output
    if options.rows is not None:
        data = data.select_rows(options.rows)
    pieces_scheme = options.subwords if options.subwords != "auto" else detect_scheme(data.tokens)
    if options.aggregate != "none":
        data = _words(data, options)
    given = np.array([row.scores for row in data.rows], dtype=np.float64)
    labels = [row.label for row in data.rows]
    matrix, normalization = normalize(given, options.normalize, options.normalize_over, labels)
    ranged = matrix[:, _scale_columns(data.tokens, options.scale_ignore)].ravel()
    ranged = ranged[~np.isnan(ranged)]
    if not ranged.size:
        raise DataError("every score is missing: there is nothing to colour")
    scale = choose_scale(ranged, options)
    display = token_display(data, "none" if options.aggregate != "none" else options.subwords)
    return Visualization(
        tokens=data.tokens,
        display=display,
        rows=tuple(
            _colour_row(row.label, scores, scale, palette, raw if normalization else None)
            for row, scores, raw in zip(data.rows, matrix, given, strict=True)
        ),
        cmap=options.cmap,
        scale=scale,
        dark_cmap=options.dark_cmap,
        legend=_legend(options, scale, ranged, scheme_note(display), normalization) if options.legend else None,
        classes=options.classes,
        layout=options.layout_for(len(data.rows)),
        normalization=normalization,
        aggregation=None if options.aggregate == "none" else options.aggregate,
        view=options.view,
        row_tokens=data.row_tokens,
        row_display=_row_display(data.row_tokens, pieces_scheme),
    )


def _row_display(row_tokens: tuple[str | None, ...] | None, scheme: str) -> TokenDisplay | None:
    """What the rows' tokens show (those rows that stand for one, in order), decoded under
    ``scheme``: the scheme of the tokens they were generated among, never one found anew."""
    if row_tokens is None:
        return None
    return display_tokens([token for token in row_tokens if token is not None], scheme)


def visualize_lists(
    tokens: Sequence[str], scores: Sequence[float] | Mapping[str, Sequence[float]], **options: str | float | bool
) -> Visualization:
    """:func:`visualize` for in-memory data; ``options`` as the directive spells them
    (``scale_ignore`` may be written with an underscore)."""
    return visualize(TokenScores.checked(tokens, scores, missing=True), options_from_keywords(options))


def options_from_keywords(options: Mapping[str, str | float | bool]) -> VizOptions:
    """Options given as Python keywords (``scale_ignore="[CLS]"``), parsed as the directive's."""
    return parse_options({name.replace("_", "-"): value for name, value in options.items() if value is not None})


def _words(data: TokenScores, options: VizOptions) -> TokenScores:
    """``data`` as words, each with one score (``options.aggregate``; :mod:`.aggregate`)."""
    if data.offsets is not None:
        raise OptionError("aggregate joins a subword scheme's pieces; data with offsets shows the text itself")
    display = token_display(data, options.subwords)
    if display.scheme == "none":
        found = " (auto found none)" if options.subwords == "auto" else ""
        raise OptionError(
            f"aggregate joins a word's pieces: give subwords (wordpiece, bpe, sentencepiece or auto){found}"
        )
    return word_scores(data, display, options.aggregate)


def token_display(data: TokenScores, scheme: str) -> TokenDisplay:
    """What the tokens show: cut from the original text where the data has offsets
    (``auto`` then has nothing to find), decoded under ``scheme`` otherwise."""
    if data.offsets is not None:
        if scheme not in ("none", "auto"):
            raise OptionError(f"subwords: {scheme} does not apply to data with offsets, which shows the text itself")
        return display_offsets(data.text or "", data.offsets, data.tokens)
    return display_tokens(data.tokens, scheme)


def _scale_columns(tokens: tuple[str, ...], ignored: frozenset[str]) -> np.ndarray:
    """Indices of the tokens that set the colour range."""
    if not ignored:
        return np.ones(len(tokens), dtype=bool)
    columns = np.fromiter((token not in ignored for token in tokens), dtype=bool, count=len(tokens))
    if ignored and columns.all():
        listed = ", ".join(sorted(map(repr, ignored)))
        raise OptionError(f"scale-ignore: none of {listed} occurs in the data, so it would change nothing")
    if not columns.any():
        raise OptionError("scale-ignore leaves out every token: nothing is left to set the colour range")
    return columns


def _colour_row(
    label: str | None, scores: np.ndarray, scale: ColourScale, palette: colors.Palette, raw: np.ndarray | None = None
) -> ColouredRow:
    missing = np.isnan(scores)
    positions = scale.positions(np.where(missing, scale.vmin, scores))
    clipped = (positions < 0) | (positions > 1)
    index = colors.palette_index(np.clip(positions, 0.0, 1.0), len(palette.backgrounds))
    return ColouredRow(inline(label) if label is not None else None, scores, index, clipped, palette, missing, raw)


def scheme_note(display: TokenDisplay) -> str | None:
    """What ``auto`` found, for the legend and the tooltip: ``subwords: bpe (detected)``
    (nothing when it found no scheme)."""
    return f"subwords: {display.scheme} (detected)" if display.detected and display.scheme != "none" else None


def _legend(
    options: VizOptions,
    scale: ColourScale,
    ranged: np.ndarray,
    scheme_note: str | None,
    normalization: Normalization | None,
) -> Legend:
    light = colors.rgb_bytes(np.linspace(0.0, 1.0, LEGEND_STOPS), colors.colormap(options.cmap))
    return Legend(
        cmap=options.cmap,
        scale=scale,
        stops=tuple(colors.hex_colors(light)),
        dark_cmap=options.dark_cmap,
        scheme_note=scheme_note,
        score_range=(float(ranged.min()), float(ranged.max())),
        alpha=options.alpha,
        normalization=normalization,
        aggregation=None if options.aggregate == "none" else options.aggregate,
    )
