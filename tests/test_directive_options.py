"""Option names: an unknown option, or one given twice, in rST and in MyST, through real builds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import myst_parser
import pytest
from sphinx.cmd.build import build_main

from pages import ROOTS, figures, read_output
from sphinxcontrib_attnviz.options import DIRECTIVE_OPTIONS, unknown_options_message
from sphinxcontrib_attnviz.sphinx.directive import myst_option_names

SAMPLE = ROOTS / "test-myst"
KNOWN = ", ".join(DIRECTIVE_OPTIONS)
MYST_VERSION = tuple(int(part) for part in re.findall(r"\d+", myst_parser.__version__)[:2])
#: MyST-Parser gives a directive its own option lines (``block_text``) from 5.2 on.
MYST_GIVES_OPTION_LINES = MYST_VERSION >= (5, 2)

CONF = 'extensions = ["myst_parser", "sphinxcontrib_attnviz"]\nshow_warning_types = True\n'
CONF += 'myst_enable_extensions = ["colon_fence"]\n'
#: page -> its source. Every bad directive starts on line 6; some pages have a good one after it.
PAGES = {
    "index.rst": "Options\n=======\n\n.. toctree::\n\n   "
    + "\n   ".join(
        ["rst_unknown", "rst_unknowns", "rst_flag", "rst_twice", "myst_unknown", "myst_twice", "myst_twice_yaml"]
    )
    + "\n   myst_twice_colon_fence\n",
    "rst_unknown.rst": """rST unknown
===========

Before the figure.

.. attention-viz::
   :tokens: sample.tokens
   :scores: sample.scores
   :cmpa: viridis

After the figure.

.. attention-viz::
   :tokens: sample.tokens
   :scores: sample.scores
   :cmap: viridis

The end.
""",
    "rst_unknowns.rst": """rST unknowns
============

Before the figure.

.. attention-viz::
   :tokens: sample.tokens
   :cmpa: viridis
   :scores: sample.scores
   :colour-scale:

After the figure.
""",
    "rst_flag.rst": """rST flag
========

Before the figure.

.. attention-viz::
   :tokens: sample.tokens
   :scores: sample.scores
   :VMIN: 0
   :legnd:

After the figure.
""",
    "rst_twice.rst": """rST twice
=========

Before the figure.

.. attention-viz::
   :tokens: sample.tokens
   :scores: sample.scores
   :cmap: viridis
   :cmap: magma

After the figure.

.. attention-viz::
   :tokens: sample.tokens
   :scores: sample.scores

The end.
""",
    "myst_unknown.md": """# MyST unknown

Before the figure.


```{attention-viz}
:tokens: sample.tokens
:scores: sample.scores
:cmpa: viridis
```

After the figure.

```{attention-viz}
:tokens: sample.tokens
:scores: sample.scores
:cmap: viridis
```

The end.
""",
    "myst_twice.md": """# MyST twice

Before the figure.


```{attention-viz}
:tokens: sample.tokens
:scores: sample.scores
:cmap: viridis
:cmap: magma
```

After the figure.

```{attention-viz}
:tokens: sample.tokens
:scores: sample.scores
```

The end.
""",
    "myst_twice_yaml.md": """# MyST twice, YAML block

Before the figure.


```{attention-viz}
---
tokens: sample.tokens
scores: sample.scores
legend: true
legend: false
---
```

After the figure.
""",
    "myst_twice_colon_fence.md": """# MyST twice, colon fence

Before the figure.


:::{attention-viz}
:tokens: sample.tokens
:scores: sample.scores
:alpha: 0
:alpha: 1
:::

After the figure.
""",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("option-names") / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    for name in ("sample.tokens", "sample.scores"):
        shutil.copy(SAMPLE / name, source / name)
    for name, text in PAGES.items():
        (source / name).write_text(text, encoding="utf-8")
    return source


def build(source: Path, out: Path, *overrides: str) -> list[str]:
    """Build the project as HTML; return the lines of its warnings and errors."""
    warnings = out / "warnings.txt"
    arguments = ["-q", "-b", "html", "-d", str(out / "doctrees"), "-w", str(warnings), str(source), str(out / "html")]
    assert build_main([*arguments, *(item for override in overrides for item in ("-D", override))]) == 0
    return re.sub(r"\x1b\[[0-9;]*m", "", warnings.read_text(encoding="utf-8")).splitlines()


@pytest.fixture(scope="module")
def built(project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("option-names-html")
    return out / "html", build(project, out)


def reports(lines: list[str], page: str) -> list[str]:
    """The build's warning and error lines about ``page``."""
    return [line for line in lines if re.search(rf"/{re.escape(page)}:\d+: (WARNING|ERROR)", line)]


def assert_noted(html: str, message: str) -> None:
    """The note, with ``message``, stands where the figure would be, and the page goes on."""
    assert html.index("Before the figure.") < html.index("could not be drawn") < html.index("After the figure.")
    note = html[html.index("attnviz-error") : html.index("After the figure.")]
    assert message.replace("'", "&#x27;") in note or message in note


@pytest.mark.parametrize("page", ["rst_unknown.rst", "myst_unknown.md"])
def test_an_unknown_option_is_one_typed_located_warning(built, project: Path, page: str) -> None:
    outdir, lines = built
    message = f"unknown option 'cmpa' (did you mean 'cmap'?); the options are {KNOWN}"
    assert reports(lines, page) == [f"{project / page}:6: WARNING: attention-viz: {message} [attnviz.option]"]
    html = read_output(outdir, page.rsplit(".", 1)[0] + ".html")
    assert_noted(html, "unknown option")
    [good] = figures(html)  # the next figure is drawn, and the page is whole
    assert "attnviz-p-viridis" in good.classes and "The end." in html


def test_unknown_options_are_named_in_one_warning(built, project: Path) -> None:
    outdir, lines = built
    [line] = reports(lines, "rst_unknowns.rst")
    assert line.startswith(f"{project / 'rst_unknowns.rst'}:6: WARNING: attention-viz: ")
    assert "unknown options 'cmpa' (did you mean 'cmap'?), 'colour-scale'; the options are " in line
    assert line.endswith("[attnviz.option]")
    assert figures(read_output(outdir, "rst_unknowns.html")) == []


def test_option_names_are_read_case_blind_in_rst_and_a_flag_is_named(built) -> None:
    """docutils lowercases option names (``:VMIN:`` is ``:vmin:``); an unknown option with
    no value is still named, with the close match."""
    _, lines = built
    [line] = reports(lines, "rst_flag.rst")
    assert "unknown option 'legnd' (did you mean 'legend'?); the options are" in line


def test_an_option_given_twice_in_rst_is_docutils_error(built, project: Path) -> None:
    """docutils refuses a repeated option before the directive runs: its own error, no note."""
    outdir, lines = built
    [line] = reports(lines, "rst_twice.rst")
    assert line == f'{project / "rst_twice.rst"}:6: ERROR: Error in "attention-viz" directive:'
    assert 'invalid option data: duplicate option "cmap".' in lines
    assert not [line for line in lines if "attnviz" in line and "rst_twice" in line]
    html = read_output(outdir, "rst_twice.html")
    assert "could not be drawn" not in html and "After the figure." in html and "The end." in html
    assert len(figures(html)) == 1


@pytest.mark.skipif(not MYST_GIVES_OPTION_LINES, reason="MyST-Parser < 5.2 gives no option lines")
@pytest.mark.parametrize(
    ("page", "name"),
    [("myst_twice.md", "cmap"), ("myst_twice_yaml.md", "legend"), ("myst_twice_colon_fence.md", "alpha")],
)
def test_an_option_given_twice_in_myst_is_one_typed_located_warning(built, project: Path, page: str, name: str) -> None:
    outdir, lines = built
    message = f"option {name!r} given twice; give each option once"
    assert reports(lines, page) == [f"{project / page}:6: WARNING: attention-viz: {message} [attnviz.option]"]
    html = read_output(outdir, page.rsplit(".", 1)[0] + ".html")
    assert_noted(html, message)


def test_the_warnings_are_attnviz_option_and_can_be_silenced(project: Path, tmp_path: Path) -> None:
    lines = build(project, tmp_path, "suppress_warnings=attnviz.option")
    assert [line for line in lines if "WARNING" in line] == []
    assert any('duplicate option "cmap"' in line for line in lines)  # docutils' error is not ours to silence


def test_myst_option_names_reads_the_option_block() -> None:
    assert myst_option_names("```{attention-viz} a.json\n:cmap: x\n:cmap: y\n:scale-ignore: [CLS]\n\nbody\n```\n") == [
        "cmap",
        "cmap",
        "scale-ignore",
    ]
    assert myst_option_names(":::{attention-viz}\n---\ncmap: x\n# note\ncaption: |\n  a: b\nlegend:\n---\n:::\n") == [
        "cmap",
        "caption",
        "legend",
    ]
    assert myst_option_names("```{attention-viz}\nwow 0.1\n:x: 1\n```\n") == []  # the body is no option block
    # MyST-Parser < 5.2 gives the body only: no opening line, so nothing is taken for an option
    assert myst_option_names(":cmap: x\n:cmap: y\n") == []


def test_unknown_options_message_suggests_and_lists() -> None:
    assert unknown_options_message(["scores-file"], DIRECTIVE_OPTIONS).startswith(
        "unknown option 'scores-file' (did you mean 'scores'?);"
    )
    assert unknown_options_message(["zzz"], DIRECTIVE_OPTIONS) == f"unknown option 'zzz'; the options are {KNOWN}"
