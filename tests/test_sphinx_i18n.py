"""Real builds: a figure's caption is a message like any figure's, extracted by the gettext
builder and translated from a catalogue, in the caption and the figure's accessible name."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from pages import figures

INDEX = """\
Translated
==========

.. attention-viz::
   :caption: Attention of the *first* token
   :name: attention

   wow 0.1
   great 0.9

.. figure:: missing.png

   A plain figure's caption

See :numref:`attention`.
"""
CATALOGUE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Attention of the *first* token"
msgstr "Aufmerksamkeit des *ersten* Tokens"
"""


def build(source: Path, out: Path, builder: str, *settings: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sphinx", "-q", "-b", builder, *settings, str(source), str(out)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=180, env=os.environ | {"NO_COLOR": "1"})
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    return run


def project(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        "extensions = ['sphinxcontrib_attnviz']\nlocale_dirs = ['locales']\nnumfig = True\nshow_warning_types = True\n"
    )
    (source / "index.rst").write_text(INDEX)
    return source


def test_gettext_extracts_the_caption_as_it_does_a_figures(tmp_path: Path) -> None:
    source = project(tmp_path)
    build(source, tmp_path / "gettext", "gettext")
    catalogue = (tmp_path / "gettext" / "index.pot").read_text(encoding="utf-8")
    assert 'msgid "A plain figure\'s caption"' in catalogue  # Sphinx's own figure, for comparison
    # the caption's message points at the directive's line, as a figure's does at its own
    assert re.search(r'#: \S*index\.rst:4\nmsgid "Attention of the \*first\* token"', catalogue), catalogue
    assert re.search(r'#: \S*index\.rst:13\nmsgid "A plain figure\'s caption"', catalogue), catalogue


def test_a_translated_caption_shows_in_the_page(tmp_path: Path) -> None:
    source = project(tmp_path)
    messages = source / "locales" / "de" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "index.po").write_text(CATALOGUE, encoding="utf-8")
    run = build(source, tmp_path / "html", "html", "-D", "language=de")
    assert "attention" not in "".join(line for line in run.stderr.splitlines() if "attnviz" in line)
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "Aufmerksamkeit des <em>ersten</em> Tokens" in page and "Attention of the" not in page
    [figure] = figures(page)
    assert figure.tokens == ["wow", "great"]
    assert 'aria-label="Aufmerksamkeit des ersten Tokens' in figure.html  # the accessible name follows the caption
    assert "Abb. 1" in page  # :numref: still reaches the translated figure
