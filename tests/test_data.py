"""Reading the original formats: stripping, blank lines, BOM, and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_attnviz.data import numbered_lines, parse_score
from sphinxcontrib_attnviz.errors import DataError, DataFileError
from sphinxcontrib_attnviz.formats import parse_score_lines, read_token_score_files


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read(tmp_path: Path, tokens: str | bytes, scores: str | bytes):
    return read_token_score_files(
        write(tmp_path / "t.txt", tokens), write(tmp_path / "s.txt", scores), "t.txt", "s.txt"
    )


def test_lines_are_stripped_and_blank_lines_skipped(tmp_path: Path) -> None:
    data = read(tmp_path, "  wow \n\n, \r\nthis\n", "0.5\n\n  0.25\r\n1e-3\n\n")
    assert data.tokens == ("wow", ",", "this")
    assert data.scores.tolist() == [0.5, 0.25, 0.001]


def test_a_bom_is_tolerated(tmp_path: Path) -> None:
    data = read(tmp_path, "\ufeffwow\nthis\n", "\ufeff1\n2\n")
    assert data.tokens == ("wow", "this")
    assert data.scores.tolist() == [1.0, 2.0]


def test_non_ascii_tokens_pass_through(tmp_path: Path) -> None:
    assert read(tmp_path, "café\n▁word\nĠx\n", "1\n2\n3\n").tokens == ("café", "▁word", "Ġx")


def test_not_a_number_names_file_line_and_text(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        read(tmp_path, "a\nb\nc\n", "1\n\nabc\n")
    assert str(caught.value) == "s.txt:3: not a number: 'abc'"


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-Infinity"])
def test_non_finite_scores_name_file_and_line(tmp_path: Path, text: str) -> None:
    with pytest.raises(DataError, match=rf"^s.txt:2: '{text}' is not a finite number"):
        read(tmp_path, "a\nb\n", f"1\n{text}\n")


def test_more_tokens_than_scores_points_at_the_first_lonely_token(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        read(tmp_path, "a\n\nb\nc\n", "1\n2\n")
    assert str(caught.value).startswith("t.txt:4: 3 tokens in t.txt but 2 scores in s.txt")
    assert "'c'" in str(caught.value)


def test_more_scores_than_tokens_points_at_the_first_lonely_score(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"^s.txt:3: 2 tokens in t.txt but 3 scores in s.txt"):
        read(tmp_path, "a\nb\n", "1\n2\n3\n")


@pytest.mark.parametrize(
    ("tokens", "scores", "message"), [("", "1\n", "t.txt: no tokens"), ("a\n", " \n\n", "s.txt: no scores")]
)
def test_empty_files_are_an_error(tmp_path: Path, tokens: str, scores: str, message: str) -> None:
    with pytest.raises(DataError, match=f"^{message}"):
        read(tmp_path, tokens, scores)


def test_non_utf8_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"^t.txt:2: not UTF-8 text \(byte 0xe9\)"):
        read(tmp_path, b"ok\ncaf\xe9\n", "1\n2\n")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"^nope: file not found"):
        read_token_score_files(tmp_path / "nope", tmp_path / "nope2", "nope", "nope2")


def test_a_directory_is_not_a_data_file(tmp_path: Path) -> None:
    write(tmp_path / "s.txt", "1\n")
    with pytest.raises(DataFileError, match="is a directory"):
        read_token_score_files(tmp_path, tmp_path / "s.txt", "dir", "s.txt")


line_parts = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**6), 10**6).map(str),
    st.sampled_from(
        ["", " ", "\t", "\r", "abc", "1 2", "1\u00a02", "\u00a0", "1_000", "0x10", "+7", " 5e-3 ", "\ufeff1"]
    ),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(line_parts, max_size=12), st.booleans())
def test_fast_score_reading_agrees_with_line_by_line(lines: list[str], as_bytes: bool) -> None:
    text = "\n".join(lines)
    expected: list[float] | str
    try:
        expected = [parse_score(line, "s", number) for number, line in numbered_lines(text)]
        if not expected:
            raise DataError("no scores (the file is empty or blank)", "s")
    except DataError as error:
        expected = str(error)
    given_text: str | bytes = text.encode() if as_bytes and text.isascii() else text
    try:
        result: list[float] | str = parse_score_lines(given_text, "s").tolist()
    except DataError as error:
        result = str(error)
    assert result == expected
