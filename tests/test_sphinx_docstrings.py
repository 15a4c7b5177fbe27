"""``.. attention-viz::`` in a docstring that ``sphinx.ext.autodoc`` brings into a page.

Relative paths are read from the folder of the page that holds ``.. automodule::``, not
from the module's folder; a leading ``/`` reads from the top of the source directory
(as ``literalinclude`` reads them). A relative path that names no file says so in its one warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from test_data_bounds import sphinx_build, sphinx_project

from pages import figures, read_output

MODULE = "attnviz_docstring_module"
TSV = "token\tscore\nthe\t0.1\nfilm\t0.9\nwas\t0.3\n"
#: The module lives outside the source directory, with a data file next to it that a
#: relative path in its docstring does *not* reach.
MODULE_SOURCE = '''"""A module whose docstrings draw figures.

.. attention-viz:: /data/scores.tsv
   :name: drawn-from-a-docstring
"""


def bad():
    """A relative path, read from the page's folder (api/), where no such file is.

    .. attention-viz:: data/scores.tsv
    """
'''
CONF = """
import os, sys
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "code")))
extensions.append("sphinx.ext.autodoc")
"""
INDEX = """Home
====

.. toctree::

   api/module

Before the figures.

.. attention-viz:: data/no-such.tsv

.. attention-viz:: /data/no-such.tsv

After the figures.
"""
API_PAGE = f"""API
===

.. automodule:: {MODULE}
   :members:

After the module.
"""
#: What every missing relative path's warning ends with: the project's source folder is ``src/``.
SLASH_HINT = 'a path starting with "/" is read from the top of the docs folder (src/)'


@dataclass(frozen=True)
class Project:
    source: Path
    module: Path
    warnings: list[str]

    def html(self, page: str) -> str:
        return read_output(self.source.parent / "out", f"{page}.html")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = tmp_path_factory.mktemp("docstrings")
    code = base / "code"
    (code / "data").mkdir(parents=True)
    module = code / f"{MODULE}.py"
    module.write_text(MODULE_SOURCE, encoding="utf-8")
    (code / "data" / "scores.tsv").write_text(TSV, encoding="utf-8")
    source = sphinx_project(base, {"index.rst": INDEX}, CONF)
    (source / "api").mkdir()
    (source / "api" / "module.rst").write_text(API_PAGE, encoding="utf-8")
    (source / "data").mkdir()
    (source / "data" / "scores.tsv").write_text(TSV, encoding="utf-8")
    return Project(source, module, sphinx_build(source).warnings)


def test_a_leading_slash_path_in_a_docstring_is_drawn(project: Project) -> None:
    html = project.html("api/module")
    [figure] = figures(html)
    assert figure.tokens == ["the", "film", "was"]
    assert 'id="drawn-from-a-docstring"' in html


def test_a_bad_relative_path_in_a_docstring_is_one_warning_naming_the_page(project: Project) -> None:
    [line] = [line for line in project.warnings if "docstring of" in line]
    assert line == (
        f"{project.module}:docstring of {MODULE}.bad:3: WARNING: attention-viz: api/data/scores.tsv: file not found; "
        "in a docstring, relative paths are read from api/, the folder of api/module.rst "
        f"(the page with the autodoc directive), not the module's; {SLASH_HINT} [attnviz.file]"
    )
    html = project.html("api/module")
    assert html.index("could not be drawn") < html.index("After the module.")  # the build went on


def test_a_missing_relative_path_on_a_page_suggests_the_leading_slash(project: Project) -> None:
    index = project.source / "index.rst"
    assert f"{index}:10: WARNING: attention-viz: data/no-such.tsv: file not found; {SLASH_HINT} [attnviz.file]" in (
        project.warnings
    )


def test_a_missing_leading_slash_path_gets_no_hint(project: Project) -> None:
    index = project.source / "index.rst"
    assert f"{index}:12: WARNING: attention-viz: data/no-such.tsv: file not found [attnviz.file]" in project.warnings


def test_each_bad_path_is_one_warning(project: Project) -> None:
    assert len(project.warnings) == 3, "\n".join(project.warnings)
    assert all(line.endswith("[attnviz.file]") for line in project.warnings)
