"""Sphinx configuration of the sphinxcontrib-attnviz documentation."""

import sys
from pathlib import Path

import sphinxcontrib_attnviz

# The example module that docstrings.rst documents with automodule.
sys.path.insert(0, str(Path(__file__).resolve().parent / "examples"))

project = "sphinxcontrib-attnviz"
author = "the sphinxcontrib-attnviz developers"
copyright = f"2026, {author}"
version = release = sphinxcontrib_attnviz.__version__

extensions = ["sphinx.ext.autodoc", "myst_nb", "sphinxcontrib_attnviz"]
# myst_nb includes myst_parser and reads .md pages as plain MyST (those that are no notebook);
# notebooks are run when read.
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
nb_execution_mode = "force"
nb_execution_raise_on_error = True
# Text-like builders would take a notebook output's text/latex (myst-nb's default) and show
# its source: let them take text/plain, the text rendering, instead.
nb_mime_priority_overrides = [
    (builder, "text/latex", None) for builder in ("text", "man", "texinfo", "xml", "pseudoxml")
]
exclude_patterns = ["_build", "benchmark-results.txt"]
show_warning_types = True
numfig = True

html_theme = "alabaster"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_title = "sphinxcontrib-attnviz"

# xelatex keeps every character of real tokenizers' output (emoji, U+2581, U+2019); DejaVu has them.
latex_engine = "xelatex"
# makeindex, not xindy (which Debian packages apart from TeX Live): the index holds only the
# example module's ASCII names.
latex_use_xindy = False
latex_elements = {
    "fontpkg": r"""
\setmainfont{DejaVu Sans}
\setsansfont{DejaVu Sans}
\setmonofont{DejaVu Sans Mono}
""",
}
