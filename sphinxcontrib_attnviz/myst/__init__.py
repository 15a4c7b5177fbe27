"""The ``attention-viz`` directive for MyST-MD (Jupyter Book 2), as an executable plugin.

MyST runs an executable plugin once with no argument, and reads a ``PLUGIN_SPEC`` (JSON)
from its standard output; then, for every ``{attention-viz}`` block, once with
``--directive attention-viz``, the block's data (JSON) on standard input, and reads the
MyST AST that takes the block's place from standard output
(``packages/myst-cli/src/executablePlugin.ts``). ``myst.yml`` names the plugin by the
path of an executable *file* (``plugins.ts`` refuses anything else), so a project keeps
a two-line script that runs ``python -m sphinxcontrib_attnviz.myst`` (docs:
``jupyter-book.md``; ``python -m sphinxcontrib_attnviz.myst --write-script PATH`` writes it).

:mod:`.page` finds the page a block sits in (MyST does not say), :mod:`.directive`
reads the block through the core and builds the AST.
"""

from __future__ import annotations

import argparse
import json
import shlex
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ..options import DIRECTIVE_OPTIONS, OPTION_NAMES
from ..pages import stylesheet
from .directive import DIRECTIVE, run_directive

#: What the plugin declares. Every option is a string, read raw by the plugin: MyST would
#: refuse a typed option's bad value itself and then not run the directive (no note).
PLUGIN_SPEC: dict[str, Any] = {
    "name": "attention-viz (sphinxcontrib-attnviz)",
    "directives": [
        {
            "name": DIRECTIVE,
            "doc": "Token scores drawn as coloured text: a data file, :tokens:/:scores: files, or inline lines.",
            "arg": {"type": "string", "doc": "A data file (.json, .tsv, .csv), relative to the page."},
            "options": {
                name: {"type": "string", "doc": "See the options of sphinxcontrib-attnviz."}
                for name in DIRECTIVE_OPTIONS
            },
            "body": {"type": "string", "doc": "Inline data: one 'token score' line per token."},
        }
    ],
}

#: The script ``--write-script`` writes: the Python that runs it must have the package.
SCRIPT = '#!/bin/sh\nexec {python} -m sphinxcontrib_attnviz.myst "$@"\n'

__all__ = ["OPTION_NAMES", "PLUGIN_SPEC", "main"]


def write_script(path: Path, python: str = "python3") -> None:
    """Write the executable wrapper that ``myst.yml`` names."""
    path.write_text(SCRIPT.format(python=shlex.quote(python)), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """The plugin's command line: MyST's protocol, and two commands for setting a project up."""
    parser = argparse.ArgumentParser(prog=f"python -m {__name__}", description=__doc__.partition("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--directive", help="run a directive: its data (JSON) on standard input")
    group.add_argument("--role", help="(MyST's protocol; this plugin has no role)")
    group.add_argument("--transform", help="(MyST's protocol; this plugin has no transform)")
    group.add_argument("--write-script", metavar="PATH", help="write the executable script myst.yml names")
    group.add_argument("--write-css", metavar="PATH", help="write the package's stylesheet (for site.options.style)")
    parser.add_argument("--python", default="python3", help="the Python the script runs (default: python3)")
    arguments = parser.parse_args(argv)
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    if arguments.write_script:
        write_script(Path(arguments.write_script), arguments.python)
        return 0
    if arguments.write_css:
        Path(arguments.write_css).write_text(stylesheet(), encoding="utf-8")
        return 0
    if arguments.role or arguments.transform:
        print(f"{parser.prog}: this plugin has no roles or transforms", file=sys.stderr)
        return 2
    if arguments.directive:
        if arguments.directive != DIRECTIVE:
            print(f"{parser.prog}: unknown directive {arguments.directive!r}", file=sys.stderr)
            return 2
        result = run_directive(json.load(stdin), Path.cwd())
    else:
        result = PLUGIN_SPEC
    json.dump(result, stdout, ensure_ascii=False)
    stdout.write("\n")
    return 0
