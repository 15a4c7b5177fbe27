"""The core's colours: hex for hex the original's formula, and readable text on every colour."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import Normalize, to_hex

from sphinxcontrib_attnviz import colors
from sphinxcontrib_attnviz.data import TokenScores
from sphinxcontrib_attnviz.errors import DataError, OptionError
from sphinxcontrib_attnviz.formats import read_token_score_files
from sphinxcontrib_attnviz.visualization import visualize, visualize_lists

SAMPLE = Path(__file__).resolve().parent / "roots" / "test-basic" / "data"
#: The original script's colours for its own sample at its defaults (BuGn, alpha 1.0).
SAMPLE_COLOURS = [
    "#c4e9e1",
    "#d8f0ef",
    "#d6f0ee",
    "#d2eeeb",
    "#d2eeeb",
    "#88d1bd",
    "#137d39",
    "#137d39",
    "#d2eeeb",
    "#137d39",
    "#d2eeeb",
    "#d6f0ee",
]


def original_colours(scores: list[float], cmap: str, alpha: float) -> list[str]:
    """The original script's way, one scalar at a time, with its mean taken as |mean|."""
    offset = abs(np.mean(scores)) * alpha
    norm = Normalize(vmin=min(scores) - offset, vmax=max(scores) + offset)
    colormap = matplotlib.colormaps[cmap]
    return [to_hex(colormap(norm(score))) for score in scores]


def contrast(hex_a: str, hex_b: str) -> float:
    rgb = np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in (hex_a, hex_b)], dtype=np.uint8)
    luminance = colors.relative_luminance(rgb)
    return float(colors.contrast_ratio(luminance[0], luminance[1]))


def test_original_sample_gives_the_original_colours() -> None:
    data = read_token_score_files(SAMPLE / "sample.tokens", SAMPLE / "sample.scores")
    viz = visualize(data)
    assert list(viz.rows[0].backgrounds) == SAMPLE_COLOURS
    assert viz.tokens[:3] == ("wow", ",", "this")


def test_dark_sample_tokens_get_white_text() -> None:
    viz = visualize(read_token_score_files(SAMPLE / "sample.tokens", SAMPLE / "sample.scores"))
    white = [token for token, fg in zip(viz.tokens, viz.rows[0].foregrounds, strict=True) if fg == colors.WHITE]
    assert white == ["great", "!", "enjoyed"]
    assert all(contrast(bg, fg) >= 4.5 for bg, fg in zip(viz.rows[0].backgrounds, viz.rows[0].foregrounds, strict=True))


@pytest.mark.parametrize("cmap", ["BuGn", "viridis", "RdBu_r", "magma_r", "Greys", "tab10", "coolwarm"])
@pytest.mark.parametrize("alpha", [0.0, 0.5, 1.0, 3.0])
@pytest.mark.parametrize("kind", ["attention", "signed", "negative", "tiny", "constant"])
def test_colours_equal_the_original_formula(cmap: str, alpha: float, kind: str) -> None:
    rng = np.random.default_rng(hash((cmap, alpha, kind)) % 2**32)
    scores = {
        "attention": lambda: rng.dirichlet(np.ones(300)),
        "signed": lambda: rng.normal(0.0, 0.01, 300),
        "negative": lambda: -rng.exponential(2.0, 300),
        "tiny": lambda: rng.uniform(0, 1e-9, 300),
        "constant": lambda: np.full(20, 0.25),
    }[kind]().tolist()
    viz = visualize_lists([f"t{i}" for i in range(len(scores))], scores, cmap=cmap, alpha=alpha)
    assert list(viz.rows[0].backgrounds) == original_colours(scores, cmap, alpha)


def test_nonnegative_scores_match_the_signed_mean_original() -> None:
    scores = [0.0, 0.2, 0.5, 0.05]
    offset = np.mean(scores) * 1.5  # the original's signed mean
    norm = Normalize(vmin=min(scores) - offset, vmax=max(scores) + offset)
    expected = [to_hex(matplotlib.colormaps["BuGn"](norm(s))) for s in scores]
    assert list(visualize_lists(list("abcd"), scores, cmap="BuGn", alpha=1.5).rows[0].backgrounds) == expected


def test_negative_mean_widens_the_range() -> None:
    viz = visualize_lists(["a", "b"], [-3.0, -1.0], alpha=1.0)
    assert (viz.scale.vmin, viz.scale.vmax) == (-5.0, 1.0)


@pytest.mark.parametrize("cmap", ["BuGn", "viridis", "RdBu_r", "gray", "hsv", "jet_r", "Spectral"])
def test_every_colour_of_a_colormap_gets_readable_text(cmap: str) -> None:
    positions = np.linspace(0.0, 1.0, 1024)
    rgb = colors.rgb_bytes(positions, matplotlib.colormaps[cmap])
    for background, foreground in zip(colors.hex_colors(rgb), colors.text_colors(rgb), strict=True):
        assert contrast(background, foreground) >= 4.5, (background, foreground)


def test_text_colour_is_the_better_of_black_and_white() -> None:
    rgb = np.array([[0, 0, 0], [255, 255, 255], [19, 125, 57], [196, 233, 225]], dtype=np.uint8)
    assert colors.text_colors(rgb) == ["#ffffff", "#000000", "#ffffff", "#000000"]


def test_reversed_colormaps_work() -> None:
    forward = visualize_lists(["a", "b"], [0.0, 1.0], cmap="viridis", alpha=0)
    reverse = visualize_lists(["a", "b"], [0.0, 1.0], cmap="viridis_r", alpha=0)
    assert forward.rows[0].backgrounds == ("#440154", "#fde725")
    assert reverse.rows[0].backgrounds == forward.rows[0].backgrounds[::-1]


def test_unknown_colormap_suggests_close_names() -> None:
    with pytest.raises(OptionError, match=r"unknown colormap 'virdis'; did you mean 'viridis'"):
        visualize_lists(["a"], [1.0], cmap="virdis")


@pytest.mark.parametrize("alpha", [-0.5, "wide", float("nan"), float("inf")])
def test_bad_alpha_is_refused(alpha: object) -> None:
    with pytest.raises(OptionError, match="alpha must be"):
        visualize_lists(["a"], [1.0], alpha=alpha)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_scores_are_an_error_not_a_colour(bad: float) -> None:
    with pytest.raises(DataError, match=r"score 2 \('b'\) is .*not a finite number"):
        TokenScores.checked(["a", "b"], [0.1, bad])


def test_an_overflowing_range_is_an_error() -> None:
    with pytest.raises(DataError, match="colour range overflows"):
        visualize_lists(["a", "b"], [-1e308, 1e308])
