"""The HTML fragment's shape: one root, one span per token, escaped, self-contained."""

from __future__ import annotations

import re

from pages import figures
from sphinxcontrib_attnviz import render_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"',
    "'",
    "&amp;",
    "<s>",
    "</s>",
    '" onmouseover="alert(1)',
    "</span></div>",
]


def test_fragment_shape() -> None:
    # mean 0.2 widens the range to [-0.1, 0.5]: positions 1/3 and 2/3 of BuGn, entries 85 and 170
    html = render_html(["wow", "great"], [0.1, 0.3])
    assert html.startswith(
        '<div class="attnviz attnviz-p-BuGn attnviz-flow" role="figure" aria-label="Token scores"><style>'
    )
    assert html.endswith(
        '</style><div class="attnviz-rows" tabindex="0"><div class="attnviz-row"><span class="attnviz-tokens">'
        '<span class="attnviz-token c85" title="0.1000">wow</span> '
        '<span class="attnviz-token c170" title="0.3000">great</span>'
        "</span></div></div></div>"
    )
    [figure] = figures(html)
    assert [span.style["background-color"] for span in figure.spans] == ["#aadfd3", "#37a266"]
    assert [span.style["color"] for span in figure.spans] == ["#000000", "#000000"]
    assert sorted(figure.entries) == ["c170", "c85"]  # rules for the entries used, no others


def test_hostile_tokens_come_back_verbatim_as_text() -> None:
    html = render_html(HOSTILE, [float(i) for i in range(len(HOSTILE))])
    [figure] = figures(html)
    assert figure.tokens == HOSTILE
    assert figure.nested_tags == [] and all(span.nested_tags == [] for span in figure.spans)
    assert "<script" not in html and "<img" not in html and "<s>" not in html


def test_no_script_no_external_url_and_one_style_of_colour_rules() -> None:
    html = render_html(["http://example.com", "a"], [1.0, 2.0], legend=True)
    assert not re.search(r"<(script|link|img)\b", html)
    assert "href=" not in html and "src=" not in html and "url(" not in html and "@import" not in html
    assert html.count("<style>") == 1
    assert [figure.spans[0].attrs.get("style") for figure in figures(html)] == [None]  # no inline colours


def test_title_has_four_significant_digits() -> None:
    [figure] = figures(render_html(["a", "b", "c"], [0.267, 1234567.0, -0.000123456]))
    assert [span.attrs["title"] for span in figure.spans] == ["0.2670", "1.235e+06", "-0.0001235"]


def test_carriage_return_and_nul_show_as_control_pictures() -> None:
    html = render_html(["a\rb", "c\x00d"], [1.0, 2.0])
    assert "\r" not in html and "\x00" not in html
    assert figures(html)[0].tokens == ["a\u240db", "c\u2400d"]
