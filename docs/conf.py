"""Sphinx configuration of the sphinxcontrib-attnviz documentation."""

import sphinxcontrib_attnviz

project = "sphinxcontrib-attnviz"
author = "the sphinxcontrib-attnviz developers"
copyright = f"2026, {author}"
version = release = sphinxcontrib_attnviz.__version__

extensions = ["myst_parser", "sphinxcontrib_attnviz"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "benchmark-results.txt"]
show_warning_types = True
numfig = True

html_theme = "alabaster"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_title = "sphinxcontrib-attnviz"

# xelatex keeps every character of real tokenizers' output (emoji, U+2581, U+2019); DejaVu has them.
latex_engine = "xelatex"
latex_elements = {
    "fontpkg": r"""
\setmainfont{DejaVu Sans}
\setsansfont{DejaVu Sans}
\setmonofont{DejaVu Sans Mono}
""",
}
