"""The command line, compatible with the original ``viz.py``:

    attention-viz --text_path text --score_path score > index.html

prints a complete, self-contained HTML page with the original's colours. Every
directive option has a flag; ``--format`` picks html, latex or text. Errors are one
line on standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO, NoReturn, TextIO

from . import __version__
from .data import TokenScores, decode_text, read_text
from .errors import AttnvizError, OptionError
from .formats import parse_token_score_texts, parse_tsv, read_data_file, read_token_score_files
from .options import DEFAULT_ALPHA, DEFAULT_CMAP, LAYOUTS, SUBWORD_SCHEMES, parse_options
from .pages import DOCUMENT_ENGINES, html_page, latex_document
from .render.html import iter_html
from .render.latex import latex_fragment, unsupported_message
from .render.text import render_text
from .visualization import Visualization, visualize

PROGRAM = "attention-viz"
STDIN = "-"
STDIN_NAME = "<stdin>"


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on standard error (status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> OneLineErrorParser:
    parser = OneLineErrorParser(
        prog=PROGRAM,
        description="Draw tokens coloured by their scores (attention, saliency) as HTML, LaTeX or text.",
    )
    data = parser.add_argument_group("data (the original's two files, or one --data file)")
    data.add_argument(
        "--text_path", "--text-path", default=None, help="tokens file, one per line ('-': stdin; default: text)"
    )
    data.add_argument(
        "--score_path", "--score-path", default=None, help="scores file, one per line ('-': stdin; default: score)"
    )
    data.add_argument("--data", help="one .json, .tsv or .csv data file ('-': TSV on stdin)")
    colour = parser.add_argument_group("colours")
    colour.add_argument("--cmap", help=f"matplotlib colormap (default: {DEFAULT_CMAP}; RdBu_r with --center)")
    colour.add_argument("--dark-cmap", help="colormap for dark pages (default: the colormap's dark variant)")
    colour.add_argument("--alpha", default=str(DEFAULT_ALPHA), help="widen the range by |mean| * alpha (default: 1.0)")
    colour.add_argument("--vmin", help="fix the low end of the colour range")
    colour.add_argument("--vmax", help="fix the high end of the colour range")
    colour.add_argument("--center", help="diverging scale centred on this value")
    colour.add_argument(
        "--scale-ignore", help="comma-separated tokens left out of the colour range, e.g. '[CLS],[SEP]'"
    )
    layout = parser.add_argument_group("layout")
    layout.add_argument("--legend", action="store_true", help="add a colour bar")
    layout.add_argument("--subwords", choices=SUBWORD_SCHEMES, help="join subword pieces into words")
    layout.add_argument(
        "--layout", choices=LAYOUTS, help="flow: rows wrap; aligned: a line per row (default for several rows)"
    )
    layout.add_argument("--rows", help="comma-separated row names to show, in order")
    layout.add_argument("--class", dest="classes", help="extra classes on the root element")
    output = parser.add_argument_group("output")
    output.add_argument("--format", choices=("html", "latex", "text"), default="html", help="default: html")
    output.add_argument(
        "--latex-engine",
        choices=DOCUMENT_ENGINES,
        default="pdflatex",
        help="latex: the engine the document is for (default: pdflatex)",
    )
    output.add_argument("--fragment", action="store_true", help="html/latex: only the visualisation, not a whole page")
    output.add_argument("--title", default="Token scores", help="the page's title (default: Token scores)")
    output.add_argument("-o", "--output", help="write to this file instead of standard output")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def option_strings(args: argparse.Namespace) -> dict[str, str | bool]:
    """The options as the directive spells them, for the core's parse_options."""
    given: dict[str, str | bool | None] = {
        "cmap": args.cmap,
        "dark-cmap": args.dark_cmap,
        "alpha": args.alpha,
        "vmin": args.vmin,
        "vmax": args.vmax,
        "center": args.center,
        "legend": args.legend or None,
        "subwords": args.subwords,
        "scale-ignore": args.scale_ignore,
        "rows": args.rows,
        "class": args.classes,
        "layout": args.layout,
    }
    return {name: value for name, value in given.items() if value is not None}


def read_data(args: argparse.Namespace, stdin: BinaryIO) -> TokenScores:
    """The data the arguments name: ``--data``, or the tokens and scores files."""
    if args.data is not None:
        if args.text_path is not None or args.score_path is not None:
            raise OptionError("give --data or --text_path/--score_path, not both")
        if args.data == STDIN:
            return parse_tsv(decode_text(stdin.read(), STDIN_NAME), STDIN_NAME)
        return read_data_file(args.data)
    tokens_path = args.text_path if args.text_path is not None else "text"
    scores_path = args.score_path if args.score_path is not None else "score"
    if tokens_path == STDIN and scores_path == STDIN:
        raise OptionError("only one of --text_path and --score_path can read standard input")
    if STDIN not in (tokens_path, scores_path):
        return read_token_score_files(tokens_path, scores_path)
    tokens_source, scores_source = (STDIN_NAME if path == STDIN else path for path in (tokens_path, scores_path))
    return parse_token_score_texts(
        _read(tokens_path, stdin, tokens_source), _read(scores_path, stdin, scores_source), tokens_source, scores_source
    )


def _read(path: str, stdin: BinaryIO, source: str) -> str:
    return decode_text(stdin.read(), source) if path == STDIN else read_text(path, source)


def render(viz: Visualization, args: argparse.Namespace) -> Iterator[str]:
    """The output ``--format`` and ``--fragment`` ask for, in pieces."""
    if args.format == "text":
        yield render_text(viz)
    elif args.format == "latex":
        fragment = latex_fragment(viz, args.latex_engine)
        if fragment.unsupported:
            remedy = "--latex-engine xelatex or lualatex"
            print(
                f"{PROGRAM}: warning: {unsupported_message(fragment.unsupported, args.latex_engine, remedy)}",
                file=sys.stderr,
            )
        yield fragment.source if args.fragment else latex_document(fragment.source, args.title, args.latex_engine)
    elif args.fragment:
        yield from iter_html(viz)
        yield "\n"
    else:
        yield from html_page(iter_html(viz), args.title)


def write(parts: Iterable[str], output: str | None, stdout: TextIO) -> None:
    """Write ``parts`` to the file ``output``, or to ``stdout``, one piece at a time."""
    if output is None:
        stdout.writelines(parts)
        return
    with open(output, "w", encoding="utf-8") as file:
        file.writelines(parts)


def main(argv: Sequence[str] | None = None, stdin: BinaryIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the command line; return the exit status (0, or 2 for any error)."""
    args = build_parser().parse_args(argv)
    if stdout is None and isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")  # the page says UTF-8, whatever the locale
    stdin, stdout = stdin or sys.stdin.buffer, stdout or sys.stdout
    try:
        viz = visualize(read_data(args, stdin), parse_options(option_strings(args)))
        write(render(viz, args), args.output, stdout)
    except AttnvizError as error:
        print(f"{PROGRAM}: error: {error.located()}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"{PROGRAM}: error: {error.filename or args.output}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


def main_exit() -> None:
    """The console script: run :func:`main` and exit with its status."""
    sys.exit(main())
