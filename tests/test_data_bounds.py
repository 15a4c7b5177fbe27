"""Data that used to crash or hang a build: numbers beyond the float range, nesting past
Python's limit, named pipes. Each is one located error (a typed warning in Sphinx); the
build goes on and never waits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxcontrib_attnviz.errors import AttnvizError
from sphinxcontrib_attnviz.formats import parse_json

DIGITS_400 = "1" + "0" * 400
DIGITS_5000 = "1" + "0" * 5000  # past Python's limit on the digits of an int


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (f"[{DIGITS_400}]", "100000000000...000000 (401 characters) is beyond the float range"),
        (f"[{DIGITS_5000}]", "(5001 characters) is beyond the float range"),
        ("[1e400]", "1e400 is beyond the float range"),
        ("[-1e400]", "-1e400 is beyond the float range"),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ],
    ids=["int-400-digits", "int-5000-digits", "1e400", "-1e400", "nested-50000"],
)
def test_json_numbers_and_nesting_past_the_limits_are_located_errors(scores: str, message: str) -> None:
    with pytest.raises(AttnvizError, match=r"^scores\.json: .*") as raised:
        parse_json(f'{{"tokens": ["a"], "scores": {scores}}}', "scores.json")
    assert message in str(raised.value)


def test_exact_json_numbers_still_read_exactly() -> None:
    data = parse_json('{"tokens": ["a", "b", "c"], "scores": [1, -0.0, 1e300]}', "ok.json")
    assert data.rows[0].scores.tolist() == [1.0, -0.0, 1e300]
    offsets = parse_json('{"text": "ab", "offsets": [[0, 1], [1, 2]], "scores": [1, 2]}', "o.json")
    assert offsets.offsets is not None


def run_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sphinxcontrib_attnviz", *args, "--format", "text"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("role", ["--data", "--text_path", "--score_path"])
def test_a_named_pipe_is_refused_before_it_is_opened(tmp_path: Path, role: str) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "text").write_text("a\n")
    (tmp_path / "score").write_text("1\n")
    result = run_cli(tmp_path, role, "pipe.json")  # with no writer, opening it would wait forever
    assert result.returncode == 2
    assert result.stderr == (
        "attention-viz: error: pipe.json: is not a regular file (a named pipe, socket or device): refused, "
        "it could block\n"
    )


def test_a_mean_that_overflows_is_one_line_with_no_numpy_warning(tmp_path: Path) -> None:
    (tmp_path / "o.tsv").write_text("a\t1e308\nb\t1.7e308\n")
    result = run_cli(tmp_path, "--data", "o.tsv")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "attention-viz: error: the colour range overflows (scores from 1e+308 to 1.7e+308, alpha 1); "
        "rescale the scores or lower alpha"
    ]


def test_sphinx_warns_once_per_bad_figure_and_builds_the_page(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\nshow_warning_types = True\n')
    (source / "deep.json").write_text('{"tokens": ["a"], "scores": ' + "[" * 50_000 + "]" * 50_000 + "}")
    (source / "big.json").write_text(f'{{"tokens": ["a"], "scores": [{DIGITS_400}]}}')
    os.mkfifo(source / "pipe.json")
    (source / "index.rst").write_text(
        "Title\n=====\n\n.. attention-viz:: deep.json\n\n.. attention-viz:: big.json\n\n"
        ".. attention-viz:: pipe.json\n\nAfter the figures.\n"
    )
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(source), str(tmp_path / "out")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ | {"NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 3, warnings
    assert "deep.json: nested too deeply" in warnings[0] and warnings[0].endswith("[attnviz.data]")
    assert "big.json: 100000000000...000000 (401 characters) is beyond the float range" in warnings[1]
    assert "pipe.json: is not a regular file" in warnings[2] and warnings[2].endswith("[attnviz.file]")
    assert "After the figures." in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_every_line_ending_ends_a_line_in_line_based_files(tmp_path: Path, ending: str) -> None:
    """As the original script read its files (Python's universal newlines): old-Mac CR
    endings are lines too, never one token holding the rest of the file."""
    (tmp_path / "text").write_bytes(ending.join(["wow", "great", ""]).encode())
    (tmp_path / "score").write_bytes(ending.join(["0.1", "0.9", ""]).encode())
    (tmp_path / "pairs.tsv").write_bytes(ending.join(["a\t1", "b\t2", ""]).encode())
    assert run_cli(tmp_path).stdout == "wow[0.1000] great[0.9000]\n"
    assert run_cli(tmp_path, "--data", "pairs.tsv").stdout == "a[1.000] b[2.000]\n"
    (tmp_path / "short").write_bytes(ending.join(["0.1", "x", ""]).encode())
    assert run_cli(tmp_path, "--score_path", "short").stderr == "attention-viz: error: short:2: not a number: 'x'\n"


def test_csv_quoted_fields_keep_every_character_and_columns_need_names(tmp_path: Path) -> None:
    from sphinxcontrib_attnviz.formats import parse_csv

    data = parse_csv('token,score\r\n"a\nb",1\r\n"c\x0cd",2\r\n"e\u2028f",3\r\n', "q.csv")
    assert data.tokens == ("a\nb", "c\x0cd", "e\u2028f")  # RFC 4180: a quoted field is kept whole
    with pytest.raises(AttnvizError, match=r"^d\.csv:1: score columns need distinct, non-empty names: '', 'a'$"):
        parse_csv("token,a,a,\nx,1,2,3\n", "d.csv")
    assert parse_csv("token,\nx,1\n", "one.csv").rows[0].label is None  # one score column needs no name
