"""Property tests of the core: any tokens and any finite scores give a sound fragment."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pages import figures
from sphinxcontrib_attnviz import colors, render_html
from sphinxcontrib_attnviz.display import visible

# Scores of any size a model produces; beyond about 1e300 the range itself overflows
# float64, which the core reports as an error (see test_colors).
finite_scores = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)
token_lists = st.lists(st.text(st.characters(codec=None)), min_size=1, max_size=40)


def hex_to_rgb(value: str) -> list[int]:
    return [int(value[i : i + 2], 16) for i in (1, 3, 5)]


@settings(max_examples=300, deadline=None)
@given(data=st.data(), cmap=st.sampled_from(["BuGn", "viridis", "RdBu_r", "Greys", "magma_r"]))
def test_fragment_parses_and_keeps_every_token(data: st.DataObject, cmap: str) -> None:
    tokens = data.draw(token_lists)
    scores = data.draw(st.lists(finite_scores, min_size=len(tokens), max_size=len(tokens)))
    alpha = data.draw(st.floats(min_value=0, max_value=10))

    [figure] = figures(render_html(tokens, scores, cmap=cmap, alpha=alpha))
    # each token as it shows (test_display says what that is): itself, or its stand-ins
    assert figure.tokens == [visible(token).removesuffix("\n") for token in tokens]
    assert figure.nested_tags == [] and all(span.nested_tags == [] for span in figure.spans)
    for span, score in zip(figure.spans, scores, strict=True):
        style = span.style
        rgb = np.array([hex_to_rgb(style["background-color"]), hex_to_rgb(style["color"])], dtype=np.uint8)
        luminance = colors.relative_luminance(rgb)
        assert colors.contrast_ratio(luminance[0], luminance[1]) >= colors.MIN_CONTRAST
        assert float(span.attrs["title"]) == float(f"{score:.4g}")
