"""What a token shows: tokenizer schemes, offsets, whitespace and control characters,
and every HTML/XHTML output drawing exactly that."""

from __future__ import annotations

import html
import tempfile
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_latex_text import compile_tex, need

from pages import figures
from sphinxcontrib_attnviz import AttentionViz, colors, render_html
from sphinxcontrib_attnviz.data import TokenScores
from sphinxcontrib_attnviz.display import (
    BROKEN_NOTE,
    PARTIAL_NOTE,
    SCHEMES,
    byte_decoder,
    display_offsets,
    display_tokens,
    visible,
)
from sphinxcontrib_attnviz.errors import DataError, OptionError
from sphinxcontrib_attnviz.formats import parse_json
from sphinxcontrib_attnviz.options import parse_options
from sphinxcontrib_attnviz.pages import latex_document
from sphinxcontrib_attnviz.render.latex import render_latex
from sphinxcontrib_attnviz.render.roff import ROFF
from sphinxcontrib_attnviz.render.text import render_text, render_text_lines
from sphinxcontrib_attnviz.visualization import visualize, visualize_lists

GPT2_TOKENS = ["The", "Ġcat", "Ġdon", "âĢĻt", "Ġlike", "Ġcaf", "Ã©", ".", "Ċ", "ĠðŁĺ", "Ĭ"]


def shown_rows(fragment: str) -> list[str]:
    return [row.strip() for row in figures(fragment)[0].shown]


@pytest.mark.parametrize("scheme", ["bpe", "auto"])
def test_gpt2_byte_level_tokens_show_the_text_they_stand_for(scheme: str) -> None:
    display = display_tokens(GPT2_TOKENS, scheme)
    assert display.scheme == "bpe" and display.detected == (scheme == "auto")
    assert display.decoded_text() == "The cat don\u2019t like caf\u00e9.\n \U0001f60a"
    fragment = render_html(GPT2_TOKENS, range(11), subwords=scheme)
    assert shown_rows(fragment) == ["The cat don\u2019t like caf\u00e9.\u21b5\n\U0001f60a"]
    [figure] = figures(fragment)
    assert figure.words == [
        [2, 3],
        [5, 6, 7, 8],
        [9, 10],
    ]  # don-t, café.-newline, the emoji (its first bytes, then the rest)
    assert "first bytes of a character" in figure.spans[9].attrs["title"] and figure.spans[9].text == ""
    # the emoji's token gives the score of the token that holds its first bytes
    assert figure.spans[10].attrs["title"] == "10.00 (its character began in the 1 token(s) before it, scored 9.000)"
    assert ("subwords: bpe (detected" in fragment) == (scheme == "auto")


def test_gpt2_byte_table_is_the_whole_byte_range() -> None:
    table = byte_decoder()
    assert sorted(table.values()) == list(range(256))
    assert table["\u0120"] == 0x20 and table["\u010a"] == 0x0A and table["\u010c"] == 0x0C and table["A"] == 0x41


def test_sentencepiece_lone_marker_and_byte_fallback() -> None:
    display = display_tokens(["\u2581Hallo", "\u2581wereld", "\u2581", ".", "</s>"], "sentencepiece")
    assert display.texts == ("Hallo", "wereld", "\u2423", ".", "</s>")
    assert display.decoded_text() == "Hallo wereld .</s>"  # as decoders.Metaspace writes it
    llama = display_tokens(["\u2581Hi", "<0x0A>", "\u2581a", "<0xF0>", "<0x9F>", "<0x98>", "<0x8A>"], "auto")
    assert llama.scheme == "sentencepiece"
    assert llama.texts == ("Hi", "\u21b5\n", "a", "", "", "", "\U0001f60a")
    assert llama.decoded_text() == "Hi\n a\U0001f60a"
    assert display_tokens(["<0xFF>", "x"], "sentencepiece").texts == ("\ufffd", "x")  # bytes that make no character


def test_wordpiece_pieces_join_and_specials_stand_alone() -> None:
    display = display_tokens(["[CLS]", "back", "##pro", "##pa", "##gation", "[SEP]"], "auto")
    assert display.scheme == "wordpiece"
    assert display.joined.tolist() == [False, False, True, True, True, False]
    assert display.decoded_text() == "[CLS] backpropagation [SEP]"


def test_newlines_controls_and_empty_tokens_are_visible() -> None:
    assert display_tokens(["para", "\n\n", "next"]).texts == ("para", "\u21b5\u21b5\n", "next")
    assert display_tokens(["form", "\f", "esc\x1b[31m", "end"]).texts == ("form", "\u240c", "esc\u241b[31m", "end")
    assert display_tokens(["", " ", "  ", "\t", "\u00a0", "\x00"]).texts == (
        "\u2205",
        "\u2423",
        "\u2423\u2423",
        "\u2409",
        "\\xa0",
        "\u2400",
    )
    assert visible("a\u2028b\u202ec\x85") == "a\\u2028b\\u202ec\\x85"
    assert visible("\ud800") == "\\ud800"
    text = render_text(visualize_lists(["para", "\n\n", "next"], [1, 2, 3]))
    assert text == "para[1.000] \u21b5\u21b5[2.000]\nnext[3.000]\n"
    assert shown_rows(render_html(["para", "\n\n", "next"], [1, 2, 3])) == ["para \u21b5\u21b5\nnext"]


def test_offsets_show_the_original_text() -> None:
    text = "Hi, caf\u00e9\n\U0001f60a  x"
    offsets = [(0, 0), (0, 2), (2, 3), (4, 8), (9, 10), (9, 10), (12, 13), (0, 0)]
    tokens = ["[CLS]", "Hi", ",", "caf\u00e9", "a", "b", "x", "[SEP]"]
    display = display_offsets(text, offsets, tokens)
    assert display.decoded_text() == text
    assert display.texts == ("[CLS]", "Hi", ",", "caf\u00e9", "", "\U0001f60a", "x", "[SEP]")
    data = TokenScores.checked_offsets(text, offsets, list(range(8)), tokens)
    fragment = render_html(data.tokens, list(range(8)))  # tokens alone: the names
    assert figures(fragment)[0].tokens == tokens
    shown = render_html_of(data)
    assert shown.strip() == "[CLS] Hi, caf\u00e9\n\U0001f60a  x [SEP]"


def render_html_of(data: TokenScores) -> str:
    from sphinxcontrib_attnviz.render.html import render_html as fragment

    return figures(fragment(visualize(data)))[0].shown[0]


@pytest.mark.parametrize(
    ("offsets", "message"),
    [
        (
            [(1, 3), (0, 4)],
            r"offsets of token 2 \(0, 4\) overlap the token before it, which ends at 3, and do not go on",
        ),
        ([(0, 2), (3, 99)], r"offsets of token 2 \(3, 99\) are out of range: the text has 5 characters"),
        ([(2, 1)], r"offsets of token 1 \(2, 1\) are out of range"),
        ([(0, 1.5)], r"offsets of token 1 must be two integers \[start, end\], not \[0, 1.5\]"),
    ],
)
def test_bad_offsets_are_located_errors(offsets: list, message: str) -> None:
    with pytest.raises(DataError, match=message) as error:
        parse_json(
            f'{{"text": "ab cd", "offsets": {[list(span) for span in offsets]}, "scores": {[1] * len(offsets)}}}',
            "d.json",
        )
    assert error.value.source == "d.json"


# -- properties --------------------------------------------------------------------------

finite_scores = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
#: Any Unicode, controls and lone surrogates included, and the schemes' markers.
token_text = st.one_of(
    st.text(st.characters(codec=None), max_size=6),
    st.lists(
        st.sampled_from(["\u0120", "\u2581", "##", "<0xF0>", "<0x0A>", "\u010a", "\u00c3", "a", "\n", " "]), max_size=4
    ).map("".join),
    st.sampled_from(["[CLS]", "</s>", "<0x9F>", "\u2581", "\u0120", "", "\x00", "\r\n"]),
)
token_lists = st.lists(token_text, min_size=1, max_size=30)


def xhtml(fragment: str) -> ET.Element:
    """The fragment parsed as XML, as an EPUB reader parses XHTML."""
    return ET.fromstring(fragment)


@settings(max_examples=250, deadline=None)
@given(tokens=token_lists, scheme=st.sampled_from(SCHEMES), data=st.data())
def test_any_tokens_under_any_scheme_show_their_display_text(
    tokens: list[str], scheme: str, data: st.DataObject
) -> None:
    scores = data.draw(st.lists(finite_scores, min_size=len(tokens), max_size=len(tokens)))
    viz = visualize_lists(tokens, scores, subwords=scheme)
    fragment = render_html(tokens, scores, subwords=scheme)
    [figure] = figures(fragment)
    assert figure.tokens == [text.removesuffix("\n") for text in viz.display.texts]
    assert figure.nested_tags == [] and all(span.nested_tags == [] for span in figure.spans)
    xhtml(fragment)  # well-formed XML: no raw control character, no lone surrogate
    for text in viz.display.texts:
        assert text == "" or not any(c in text for c in "\x00\x1b\x0c\r\t\u2028\x85")


@settings(max_examples=150, deadline=None)
@given(
    tokens=st.lists(st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S"]), min_size=1), min_size=1),
    data=st.data(),
    cmap=st.sampled_from(["BuGn", "viridis", "RdBu_r"]),
)
def test_plain_tokens_without_a_scheme_render_as_before(tokens: list[str], data: st.DataObject, cmap: str) -> None:
    """``none`` with tokens that need no stand-in: each token a span, a space between
    them, the original's colours (from the figure's rules, by palette entry)."""
    scores = data.draw(st.lists(finite_scores, min_size=len(tokens), max_size=len(tokens)))
    viz = visualize_lists(tokens, scores, cmap=cmap)
    row = viz.rows[0]
    spans = [
        f'<span class="attnviz-token c{entry}" title="{format(score, "#.4g")}">{html.escape(token)}</span>'
        for token, score, entry in zip(tokens, scores, row.colour_index.tolist(), strict=True)
    ]
    fragment = render_html(tokens, scores, cmap=cmap)
    assert '<span class="attnviz-tokens">' + " ".join(spans) + "</span></div></div></div>" in fragment
    [figure] = figures(fragment)
    assert [span.style["background-color"] for span in figure.spans] == list(row.backgrounds)
    assert [span.style["color"] for span in figure.spans] == list(row.foregrounds)
    assert set(row.backgrounds) <= set(colors.palette(cmap).backgrounds)


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex"])
def test_any_tokens_under_any_scheme_compile(engine: str) -> None:
    """A bounded sample: a few documents, each of several visualisations of drawn tokens
    under every scheme, compile (pdflatex with markers, xelatex with the characters)."""
    need("pdftotext", engine)

    @settings(max_examples=3, deadline=None, database=None)
    @given(figures_drawn=st.lists(st.tuples(token_lists, st.sampled_from(SCHEMES)), min_size=6, max_size=6))
    def compiles(figures_drawn: list[tuple[list[str], str]]) -> None:
        fragments = [
            render_latex(visualize_lists(tokens, list(range(len(tokens))), subwords=scheme, legend=True), engine)
            for tokens, scheme in figures_drawn
        ]
        with tempfile.TemporaryDirectory() as folder:
            compile_tex(engine, latex_document("".join(fragments), "Any tokens", engine), Path(folder))

    compiles()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_lone_surrogate_shows_as_its_code_under_every_scheme(scheme: str) -> None:
    display = display_tokens(["Hello", "\u0120wor", "\ud800", "a\udfffb"], scheme)
    assert display.texts[2:] == ("\\ud800", "a\\udfffb")


def test_tokens_of_nothing_visible_show_what_they_hold() -> None:
    tokens = ["\u200b", "\u200d", "\ufeff", "\u00ad", "\u0301", "\u3000", "a\u200db", "\U0001f469\u200d\U0001f4bb"]
    assert display_tokens(tokens).texts == (
        "\\u200b",
        "\\u200d",
        "\\ufeff",
        "\\xad",
        "\u25cc\u0301",
        "\\u3000",
        "a\u200db",  # a joiner inside a word, and in an emoji sequence, does its job
        "\U0001f469\u200d\U0001f4bb",
    )


def test_auto_leaves_offsets_as_they_are_and_a_named_scheme_is_an_error() -> None:
    data = TokenScores.checked_offsets("Hi there", [(0, 2), (3, 8)], [1.0, 2.0])
    assert visualize(data, parse_options({"subwords": "auto"})).display.texts == ("Hi", "there")
    with pytest.raises(OptionError, match="subwords: bpe does not apply to data with offsets"):
        visualize(data, parse_options({"subwords": "bpe"}))


def test_the_api_warns_when_pdflatex_gets_markers() -> None:
    viz = AttentionViz(["caf\u00e9", "\U0001f60a"], [1.0, 2.0])
    with pytest.warns(UserWarning, match=r"pdflatex cannot typeset \U0001f60a \(U\+1F60A\)"):
        assert "[U+1F60A]" in viz.to_latex()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "\U0001f60a" in viz.to_latex("xelatex")


def test_auto_needs_a_marker_not_letters_of_the_byte_alphabet() -> None:
    assert display_tokens(["Bu", "k\u0131rm\u0131z\u0131", "bir", "a\u011fa\u00e7"], "auto").scheme == "none"
    assert display_tokens(["D\u017aie\u0144", "dobry", "ma\u0142y"], "auto").scheme == "none"


def test_bytes_that_make_no_character_show_on_their_own_token() -> None:
    assert display_tokens(["\u00f0", "\u0120hello"], "bpe").texts == ("\ufffd", "hello")
    assert display_tokens(["\u00f0", "\u0120"], "bpe").texts == ("\ufffd", "\u2423")
    assert display_tokens(["<0xC9>", "\u2581"], "sentencepiece").texts == ("\ufffd", "\u2423")
    assert display_tokens(["\u2581\u2581x", "\u2581y"], "sentencepiece").texts == (" x", "y")


def test_labels_are_shown_on_one_line_with_stand_ins() -> None:
    viz = visualize_lists(["a", "b"], {"L1\n.so /etc/hostname\x01\ud800": [1.0, 2.0]})
    assert viz.rows[0].label == "L1\u21b5.so /etc/hostname\u2401\\ud800"
    assert render_text(viz).splitlines()[0].startswith("L1\u21b5.so /etc/hostname\u2401\\ud800: a[1.000]")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"text": "ab", "offsets": [5], "scores": [1]}, r"offsets of token 1 must be two integers"),
        ({"text": "ab", "offsets": [(False, True)], "scores": [1]}, r"offsets of token 1 must be two integers"),
        ({"text": "ab", "offsets": 5, "scores": [1]}, "offsets must be a list of"),
        ({"tokens": "abc", "scores": [1, 2, 3]}, "not one string"),
        ({"tokens": [None, "x"], "scores": [1, 2]}, "token 1 is not a string: None"),
        ({"tokens": 5, "scores": [1]}, "tokens must be a list of strings, not int"),
    ],
)
def test_bad_api_input_is_a_data_error(arguments: dict, message: str) -> None:
    with pytest.raises(DataError, match=message):
        AttentionViz(**arguments)


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_long_rows_and_replacement_characters_compile(engine: str) -> None:
    """A row of 5,000 tokens is many source lines (TeX reads a line into a fixed buffer);
    U+FFFD, which undecodable bytes give, compiles under LuaTeX too."""
    need("pdftotext", engine)
    tokens = ["\u0120w"] * 5000 + ["\ufffd", "\u00f0", "\u0120x"]
    source = latex_document(
        render_latex(visualize_lists(tokens, range(len(tokens)), subwords="bpe"), engine), "Long", engine
    )
    assert max(map(len, source.splitlines())) < 1000
    with tempfile.TemporaryDirectory() as folder:
        text, _ = compile_tex(engine, source, Path(folder))
    assert text.count("w") >= 5000 and ("\ufffd" in text or engine == "pdflatex")


def test_only_real_special_tokens_stand_alone() -> None:
    display = display_tokens(["foo", "\u0120<b>", "\u0120[x]", "<|endoftext|>", "The"], "bpe")
    assert display.decoded_text() == "foo <b> [x]<|endoftext|>The"
    assert display.joins.tolist() == [False, False, False, False, False]  # the special stands alone
    assert display_tokens(["[CLS]", "a", "##b", "[SEP]"], "wordpiece").joined.tolist() == [False, False, True, False]


def test_an_unknown_scheme_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown subword scheme 'BPE'"):
        display_tokens(["a"], "BPE")


def test_bytes_that_complete_nothing_say_so() -> None:
    display = display_tokens(["\u00f0", "\u0141", "\u013a", "\u0120x"], "bpe")
    assert display.texts == ("", "", "\ufffd", "x")
    assert display.notes == {0: BROKEN_NOTE, 1: BROKEN_NOTE}
    assert display_tokens(["\u0120\u00f0\u0141\u013a", "\u012c"], "bpe").notes == {0: PARTIAL_NOTE}


def test_auto_that_finds_nothing_says_nothing() -> None:
    assert render_html(["a", "b"], [1, 2], subwords="auto", legend=True) == render_html(["a", "b"], [1, 2], legend=True)


def test_latex_keeps_the_text_between_tokens() -> None:
    """Text before the first token, a gap that starts with spaces, an indented line."""
    text = ">> Hi  (there)\ndef f():\n    return"
    spans = [(3, 5), (8, 13), (15, 18), (19, 20), (28, 34)]
    source = AttentionViz(text=text, offsets=spans, scores=range(5)).to_latex("xelatex")
    assert "{}\\textgreater{}\\kern0pt{}\\textgreater{} \\colorbox" in source  # ">> " before "Hi"
    assert "\\null{} \\ (%" in source  # "  (": both spaces, on the line of the token before
    assert "\\newline\\null{} \\ \\ \\ %" in source  # the indent after the line break


def test_roff_words_begin_after_a_space_and_tokens_do_not_break() -> None:
    viz = AttentionViz(text="Hi (there) a b", offsets=[(0, 2), (4, 9), (11, 14)], scores=[1, 2, 3]).visualization
    [line] = render_text_lines(viz, ROFF)
    assert line == "\\%Hi[1.000] \\%(there[2.000]) \\%a\\ b[3.000]"  # "(there" is a word: never hyphenated


def test_an_empty_span_that_is_no_special_token_shows_as_empty() -> None:
    """RoBERTa's trimmed offsets give a lone ``Ġ`` at the text's start the span (0, 0)."""
    display = display_offsets(
        "Hi you", [(0, 0), (0, 2), (0, 0), (3, 6), (0, 0)], ["<s>", "Hi", "\u0120", "you", "</s>"]
    )
    assert display.texts == ("<s>", "Hi", "\u2205", "you", "</s>")
