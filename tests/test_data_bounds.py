"""Data that used to crash, hang or be read leniently: numbers beyond the float range,
nesting past Python's limit, named pipes, scores written as ``float()`` but not as
numbers are, long files. Each is one located error (a typed warning in Sphinx); the
build goes on and never waits."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxcontrib_attnviz import formats
from sphinxcontrib_attnviz.data import parse_score
from sphinxcontrib_attnviz.errors import AttnvizError, DataError
from sphinxcontrib_attnviz.formats import parse_json

DIGITS_400 = "1" + "0" * 400
DIGITS_5000 = "1" + "0" * 5000  # past Python's limit on the digits of an int


@dataclass(frozen=True)
class Built:
    """A Sphinx build's warnings (every ``WARNING`` line) and its index page's text."""

    warnings: list[str]
    page: str

    @property
    def ours(self) -> list[str]:
        """The extension's typed warnings only."""
        return [line for line in self.warnings if "[attnviz." in line]


def sphinx_project(tmp_path: Path, files: dict[str, str], conf: str = "") -> Path:
    """A source folder: conf.py enabling the extension (warning types shown, as Sphinx 7.4
    does not by default) plus ``conf``, and ``files`` by name."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(f"extensions = ['sphinxcontrib_attnviz']\nshow_warning_types = True\n{conf}")
    for name, text in files.items():
        (source / name).write_text(text)
    return source


def sphinx_build(source: Path, builder: str = "html") -> Built:
    """Build ``source``, which must finish without a traceback."""
    out = source.parent / "out"
    command = [sys.executable, "-m", "sphinx", "-q", "-b", builder, str(source), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ | {"NO_COLOR": "1"})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    page = (out / ("index.html" if builder == "html" else "index.txt")).read_text(encoding="utf-8")
    return Built([line for line in result.stderr.splitlines() if "WARNING" in line], page)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (f"[{DIGITS_400}]", "'10000000000000000000...00000000' (401 characters) is beyond the float range"),
        (f"[{DIGITS_5000}]", "(5,001 characters) is beyond the float range"),
        ("[1e400]", "'1e400' is beyond the float range"),
        ("[-1e400]", "'-1e400' is beyond the float range"),
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
    index = (
        "Title\n=====\n\n.. attention-viz:: deep.json\n\n.. attention-viz:: big.json\n\n"
        ".. attention-viz:: pipe.json\n\nAfter the figures.\n"
    )
    source = sphinx_project(tmp_path, {"index.rst": index})
    (source / "deep.json").write_text('{"tokens": ["a"], "scores": ' + "[" * 50_000 + "]" * 50_000 + "}")
    (source / "big.json").write_text(f'{{"tokens": ["a"], "scores": [{DIGITS_400}]}}')
    os.mkfifo(source / "pipe.json")
    built = sphinx_build(source)
    warnings = built.warnings
    assert len(warnings) == 3, warnings
    assert "deep.json: nested too deeply" in warnings[0] and warnings[0].endswith("[attnviz.data]")
    too_big = "big.json: score 1 ('a'): '10000000000000000000...00000000' (401 characters) is beyond the float range"
    assert too_big in warnings[1]
    assert "pipe.json: is not a regular file" in warnings[2] and warnings[2].endswith("[attnviz.file]")
    assert "After the figures." in built.page


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1_000", "not a number: '1_000' (write numbers without underscores)"),
        ("\u0661\u0662", "not a number: '١٢' (write digits as ASCII 0-9)"),
        ("\uff11.5", "not a number: '\uff11.5' (write digits as ASCII 0-9)"),
        ("0x10", "not a number: '0x10'"),
        ("true", "not a number: 'true'"),
        ("1e400", "'1e400' is beyond the float range (about 1.8e308)"),
        ("-Infinity", "'-Infinity' is not a finite number"),
        ("nan", "'nan' is not a finite number"),
    ],
)
def test_a_score_is_written_as_json_or_float_writes_one(text: str, message: str) -> None:
    with pytest.raises(DataError) as raised:
        parse_score(text, "s.txt", 3)
    assert str(raised.value) == f"s.txt:3: {message}" or str(raised.value).startswith(f"s.txt:3: {message}")


@pytest.mark.parametrize("text", ["1", "-0.0", "+.5", "5.", "1E-5", "4.9e-324", "1.7976931348623157e308", "007"])
def test_every_finite_spelling_of_float_without_underscores_is_a_score(text: str) -> None:
    assert parse_score(text) == float(text)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ("[0.5, true]", "score 2 ('b') is true, not a number"),
        ("[false]", "score 1 ('a') is false, not a number"),
        ('[0.5, "0.5"]', "score 2 ('b') is \"0.5\", not a number"),
        ("[[0.5]]", "score 1 ('a') is an array, not a number"),
        ("[NaN]", "score 1 ('a') is NaN: not a JSON number, and not a finite score"),
        ("[-Infinity]", "score 1 ('a') is -Infinity: not a JSON number"),
    ],
)
def test_json_scores_are_json_numbers(scores: str, message: str) -> None:
    tokens = '["a", "b"]' if scores.count(",") else '["a"]'
    with pytest.raises(DataError, match=r"^s\.json: ") as raised:
        parse_json(f'{{"tokens": {tokens}, "scores": {scores}}}', "s.json")
    assert message in str(raised.value)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.sampled_from(["0.5", "-1e3", "", "  7 ", "nan", "1_0", "x", "\u00e9", "2 3", "1e400"]), max_size=8
    ),
    breaks=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=8, max_size=8),
)
def test_streamed_scores_file_reads_as_the_whole_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, lines: list[str], breaks: list[str]
) -> None:
    """Cut into chunks of any size (``\\r\\n`` across a cut included), a scores file gives
    the scores, or the error and line, that reading its whole text gives."""
    monkeypatch.setattr(formats, "SCORE_CHUNK", chunk)
    raw = "".join(line + brk for line, brk in zip(lines, breaks, strict=False)).encode()
    path = tmp_path / "s.txt"
    path.write_bytes(raw)
    outcomes = []
    for read in (lambda: formats.read_score_file(path, "s.txt"), lambda: formats.parse_score_lines(raw, "s.txt")):
        try:
            outcomes.append(read().tolist())
        except DataError as error:
            outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]


def test_a_docs_build_refuses_a_figure_past_attnviz_max_tokens(tmp_path: Path) -> None:
    """The default limit (200,000) refuses a long file after reading just past it, and a
    project's own limit names the line of the first token too many, in every source."""
    index = (
        "Title\n=====\n\n.. attention-viz::\n   :tokens: long.tokens\n   :scores: long.scores\n\nAfter the figure.\n"
    )
    source = sphinx_project(tmp_path, {"index.rst": index})
    (source / "long.scores").write_text("0.5\n" * 200_001)
    (source / "long.tokens").write_text("a\n" * 200_001)
    built = sphinx_build(source)
    warnings = built.warnings
    assert len(warnings) == 1, warnings
    assert "long.scores:200001: more than 200,000 tokens" in warnings[0], warnings
    assert "raise attnviz_max_tokens in conf.py" in warnings[0] and warnings[0].endswith("[attnviz.data]")
    assert "After the figure." in built.page


@pytest.mark.parametrize(
    ("files", "directive", "where"),
    [
        ({"d.json": '{"tokens": ["a", "b", "c"], "scores": [1, 2, 3]}'}, ".. attention-viz:: d.json", "d.json"),
        ({"d.tsv": "a\t1\nb\t2\n\nc\t3\n"}, ".. attention-viz:: d.tsv", "d.tsv:4"),
        ({"d.csv": "token,score\na,1\nb,2\nc,3\n"}, ".. attention-viz:: d.csv", "d.csv:4"),
        ({"t": "a\nb\nc\n", "s": "1\n2\n3\n"}, ".. attention-viz::\n   :tokens: t\n   :scores: s", "s:3"),
        ({}, ".. attention-viz::\n\n   a 1\n   b 2\n   c 3", "index.rst:8"),
    ],
    ids=["json", "tsv", "csv", "pair", "inline"],
)
def test_a_project_limit_names_the_first_token_too_many(
    tmp_path: Path, files: dict[str, str], directive: str, where: str
) -> None:
    index = f"Title\n=====\n\n{directive}\n\nAfter the figure.\n"
    built = sphinx_build(sphinx_project(tmp_path, {**files, "index.rst": index}, "attnviz_max_tokens = 2\n"), "text")
    warnings = built.warnings
    assert len(warnings) == 1, warnings
    assert f"{where}: more than 2 tokens" in warnings[0], warnings
    assert "After the figure." in built.page


@pytest.mark.parametrize(
    ("setting", "warned"),
    [
        ("1e6", "must be a positive integer, not 1000000.0 (or None for no limit); using 200000"),
        ("'300000'", "must be a positive integer, not '300000' (or None for no limit); using 200000"),
        ("0", "must be a positive integer, not 0 (or None for no limit); using 200000"),
        ("True", "must be a positive integer, not True (or None for no limit); using 200000"),
        ("2**70", None),
        ("None", None),
    ],
)
def test_any_attnviz_max_tokens_lets_the_build_go_on(tmp_path: Path, setting: str, warned: str | None) -> None:
    """A bad value is one attnviz.config warning and the default; a huge one is no limit;
    a limit past a tokens file's end is located at that file's line."""
    index = "T\n=\n\n.. attention-viz::\n   :tokens: t.txt\n   :scores: s.txt\n\nAfter.\n"
    source = sphinx_project(tmp_path, {"index.rst": index, "s.txt": "1\n2\n"}, f"attnviz_max_tokens = {setting}\n")
    (source / "t.txt").write_text("a\n\n" * 200_001)
    built = sphinx_build(source, "text")
    ours = built.ours
    expected_figure = (
        "t.txt:400001: more than 200,000 tokens"
        if warned is not None
        else "200001 tokens in t.txt but 2 scores in s.txt; the counts must be equal"
    )
    assert len(ours) == (2 if warned else 1), ours
    if warned:
        assert f"conf.py: attnviz_max_tokens {warned} [attnviz.config]" in ours[0]
    assert expected_figure in ours[-1], ours
    assert "After." in built.page


def test_json_keys_given_twice_and_unknown_suffix_paths(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"^d\.json: the key 'scores' is given twice in one object$"):
        parse_json('{"tokens": ["a"], "scores": [1], "scores": [2]}', "d.json")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "pipe.scores")
    for name, message in (("folder", "is a directory, not a file"), ("pipe.scores", "is not a regular file")):
        with pytest.raises(AttnvizError, match=rf"^{name}: {message}"):
            formats.read_data_file(tmp_path / name, name)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([0.1, float("inf")], "score 2 ('b') is inf, not a finite number"),
        ([10**400, 0.0], "not numbers beyond the float range (about 1.8e308)"),
    ],
)
def test_api_scores_infinite_or_beyond_the_float_range_are_data_errors(scores: list[object], message: str) -> None:
    from sphinxcontrib_attnviz.api import AttentionViz

    with pytest.raises(DataError) as raised:
        AttentionViz(["a", "b"], scores)
    assert message in str(raised.value)


@pytest.mark.parametrize("text", ["\u0131nf", "\u0130nfinity", "-\u0131nf"])
def test_letters_that_case_fold_to_ascii_are_not_infinity(text: str) -> None:
    """``re.IGNORECASE`` alone would let the dotless and dotted i through to ``float()``."""
    with pytest.raises(DataError, match=r"not a number"):
        parse_score(text)
    from sphinxcontrib_attnviz.options import parse_options

    with pytest.raises(AttnvizError, match=r"vmin must be a number"):
        parse_options({"vmin": text})


def test_long_texts_that_are_not_numbers_are_refused_in_linear_time(tmp_path: Path) -> None:
    """A million digits and a letter: one pass (an ambiguous pattern would take hours)."""
    (tmp_path / "d.tsv").write_text("a\t" + "1" * 1_000_000 + "x\n")
    code = "from sphinxcontrib_attnviz.formats import read_data_file\n"
    code += "try: read_data_file('d.tsv')\nexcept ValueError as e: print(e)"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("d.tsv:1: not a number: '1111"), result


def test_a_scores_file_without_line_breaks_is_refused_after_one_long_line(tmp_path: Path) -> None:
    """256 MiB of NUL bytes (``numpy.tofile`` output, say) is refused after 1 MiB, not read whole."""
    with open(tmp_path / "scores.bin", "wb") as file:
        file.truncate(256 << 20)  # sparse: no disk space used
    with pytest.raises(DataError, match=r"^scores\.bin:1: more than 1,048,576 bytes without a line break"):
        formats.read_score_file(tmp_path / "scores.bin", "scores.bin")
    (tmp_path / "late.txt").write_bytes(b"1\r\n2\r" + b"3" * (2 << 20))
    with pytest.raises(DataError, match=r"^late\.txt:3: more than 1,048,576 bytes"):
        formats.read_score_file(tmp_path / "late.txt", "late.txt")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xef\xbb\xbfa\t1\n\xe9\t2\n", "d.tsv:2: not UTF-8 text (byte 0xe9); save it as UTF-8"),
        (b"\xef\xbb\xbfa\t1\nb\t2", None),
    ],
)
def test_a_bom_does_not_shift_the_place_of_a_bad_byte(tmp_path: Path, raw: bytes, message: str | None) -> None:
    (tmp_path / "d.tsv").write_bytes(raw)
    if message is None:
        assert formats.read_data_file(tmp_path / "d.tsv", "d.tsv").tokens == ("a", "b")
        return
    with pytest.raises(DataError) as raised:
        formats.read_data_file(tmp_path / "d.tsv", "d.tsv")
    assert str(raised.value) == message


def test_edge_cases_from_breaking_the_readers(tmp_path: Path) -> None:
    """JSON ``-0`` keeps its sign; a limit after a BOM-only line names the right line;
    CSV tokens are their fields as written; a read error while streaming tokens and a
    loop of symbolic links are located DataFileErrors; an explicit range past the
    floats is an OptionError."""
    from sphinxcontrib_attnviz.api import AttentionViz
    from sphinxcontrib_attnviz.data import TokenLimit
    from sphinxcontrib_attnviz.errors import DataFileError, OptionError

    assert str(parse_json('{"tokens": ["a"], "scores": [-0]}', "j").scores[0]) == "-0.0"
    (tmp_path / "s.txt").write_bytes(b"\xef\xbb\xbf\n1\n2\n3\n4\n")
    with pytest.raises(DataError, match=r"^s\.txt:5: more than 3 tokens"):
        formats.read_score_file(tmp_path / "s.txt", "s.txt", TokenLimit(3, "the limit"))
    record = formats.parse_csv('token,score\n" ",1\n"\t",2\n a ,3\n', "c.csv")
    assert record.tokens == (" ", "\t", " a ")
    with pytest.raises(DataError, match=r"^c\.csv:2: the token is empty"):
        formats.parse_csv("token,score\n,1\n", "c.csv")
    (tmp_path / "one.txt").write_text("1\n")
    with pytest.raises(DataFileError, match=r"^/proc/self/mem: cannot be read"):
        AttentionViz.from_files(tokens="/proc/self/mem", scores=tmp_path / "one.txt")
    os.symlink("loop.json", tmp_path / "loop.json")
    with pytest.raises(DataFileError, match=r"loop.json: cannot be resolved: a loop of symbolic links"):
        AttentionViz.from_files(tmp_path / "loop.json")
    with pytest.raises(DataFileError, match=r"the path holds a NUL character"):
        AttentionViz.from_files("a\x00.json")
    with pytest.raises(OptionError, match=r"the colour range overflows"):
        AttentionViz(["a", "b"], [1.7976931348623157e308, 0.0], vmin=-1e308, vmax=1e308)


def test_sphinx_and_mkdocs_builds_go_on_past_loops_and_odd_offsets(tmp_path: Path) -> None:
    index = "T\n=\n\n.. attention-viz:: loop.json\n\n.. attention-viz:: odd.json\n\n.. attention-viz:: :x\n\nAfter.\n"
    source = sphinx_project(tmp_path, {"index.rst": index, "odd.json": '{"text": "a", "offsets": 5, "scores": [1]}'})
    os.symlink("loop.json", source / "loop.json")
    built = sphinx_build(source)
    warnings = built.ours
    assert "loop.json: cannot be resolved: a loop of symbolic links [attnviz.file]" in warnings[0], warnings
    assert 'odd.json: "offsets" must be a list of [start, end] pairs [attnviz.data]' in warnings[1], warnings
    assert "After." in built.page
    docs = tmp_path / "site" / "docs"
    docs.mkdir(parents=True)
    os.symlink("loop.json", docs / "loop.json")
    (docs / "index.md").write_text("# T\n\n```attention-viz\ndata: loop.json\n```\n\nAfter.\n")
    (tmp_path / "site" / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - attention-viz\n")
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(tmp_path / "site" / "mkdocs.yml")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ | {"NO_COLOR": "1"})
    assert "Traceback" not in result.stderr, result.stderr
    assert "index.md:3: loop.json: cannot be resolved: a loop of symbolic links" in result.stderr
    assert "After." in (tmp_path / "site" / "site" / "index.html").read_text()
