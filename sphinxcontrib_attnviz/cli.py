"""The command line, compatible with the original ``viz.py``:

    attention-viz --text_path text --score_path score > index.html

prints a complete, self-contained HTML page with the original's colours. Every
directive option has a flag; ``--format`` picks html, latex or text. Errors are one
line on standard error and exit status 2.

``--block FILE`` reads one figure written as a Markdown block (the MkDocs block's
syntax: ``key: value`` option lines, a blank line, inline ``token score`` lines; Quarto's
``#| key: value`` cell options too), which is how the Quarto filter calls it;
``--stylesheet`` prints the CSS an HTML fragment needs. ``--format svg|png|pdf`` writes
the figure (either view) as an image to ``-o FILE``, ``--width`` inches wide
(:mod:`.render.image`).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, NoReturn, TextIO

from . import __version__
from .aggregate import AGGREGATIONS
from .data import TokenScores, decode_text, read_text
from .errors import AttnvizError, OptionError
from .formats import (
    parse_token_score_texts,
    parse_tsv,
    read_token_score_files,
)
from .normalize import NORMALIZATIONS, NORMALIZE_OVER
from .options import DEFAULT_ALPHA, DEFAULT_CMAP, LAYOUTS, OPTION_NAMES, SUBWORD_SCHEMES, VIEWS, parse_options
from .pages import DOCUMENT_ENGINES, html_page, latex_document, stylesheet
from .readers.files import DATA_FORMATS, parse_read_options
from .readers.files import read_data as read_data_file
from .readers.inseq import REDUCTIONS
from .render.html import iter_html
from .render.image import DEFAULT_DPI, DEFAULT_WIDTH, IMAGE_FORMATS, WIDTH_RANGE, save_image
from .sources import check_no_read_options
from .visualization import Visualization, visualize

# What only some runs need (--block, latex and text output) is imported where it is used.

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
    data.add_argument(
        "--data",
        help="one data file: .json, .tsv, .csv, or another tool's output (inseq, Captum, SHAP, ...; '-': TSV on stdin)",
    )
    data.add_argument(
        "--format-in",
        choices=DATA_FORMATS,
        type=str.lower,
        help="--data: its format (default: auto, found from its suffix and content)",
    )
    data.add_argument("--sequence", help="--data, an inseq file: which example (default: 0)")
    data.add_argument("--step", help="--data, an inseq file: one generation step (default: every step, a row each)")
    data.add_argument(
        "--reduce",
        choices=REDUCTIONS,
        type=str.lower,
        help="--data, an inseq file: how trailing dimensions become one score",
    )
    data.add_argument(
        "--block",
        help="a Markdown block's body ('-': stdin): 'key: value' options (or '#| key: value'), "
        "a blank line, inline 'token score' lines; its options override the flags",
    )
    data.add_argument("--block-source", help="--block: the document named in messages (default: the block's file)")
    data.add_argument(
        "--block-line", type=int, default=0, help="--block: the line of the block's opening fence in the document"
    )
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
    layout.add_argument("--subwords", choices=SUBWORD_SCHEMES, type=str.lower, help="join subword pieces into words")
    layout.add_argument(
        "--layout",
        choices=LAYOUTS,
        type=str.lower,
        help="flow: rows wrap; aligned: a line per row (default for several rows)",
    )
    layout.add_argument(
        "--aggregate",
        choices=AGGREGATIONS,
        type=str.lower,
        help="with --subwords: one score per word, from its pieces'",
    )
    layout.add_argument(
        "--normalize", choices=NORMALIZATIONS, type=str.lower, help="normalise the scores (default: none)"
    )
    layout.add_argument(
        "--normalize-over",
        choices=NORMALIZE_OVER,
        type=str.lower,
        help="normalise each row, or the figure's scores together",
    )
    layout.add_argument("--rows", help="comma-separated row names to show, in order")
    layout.add_argument(
        "--view",
        choices=VIEWS,
        type=str.lower,
        help="tokens: coloured text (default); matrix: a heatmap table, a column per token and a row per row",
    )
    layout.add_argument("--class", dest="classes", help="extra classes on the root element")
    output = parser.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        help="default: what -o FILE's suffix names (.svg, .png, .pdf, .tex, .txt), else html; "
        "svg, png and pdf write an image to -o FILE",
    )
    output.add_argument(
        "--width",
        type=image_inches,
        default=DEFAULT_WIDTH,
        help=f"svg/png/pdf: the image's width in inches, where lines wrap (default: {DEFAULT_WIDTH:g})",
    )
    output.add_argument(
        "--latex-engine",
        choices=DOCUMENT_ENGINES,
        default="pdflatex",
        help="latex: the engine the document is for (default: pdflatex)",
    )
    output.add_argument("--fragment", action="store_true", help="html/latex: only the visualisation, not a whole page")
    output.add_argument("--title", default="Token scores", help="the page's title (default: Token scores)")
    output.add_argument(
        "--dpi",
        type=positive_dpi,
        default=DEFAULT_DPI,
        help=f"png: pixels per inch (default: {DEFAULT_DPI:g}; the image is width x dpi pixels wide)",
    )
    output.add_argument("-o", "--output", help="write to this file instead of standard output")
    output.add_argument("--stylesheet", action="store_true", help="print the CSS that HTML fragments need, and exit")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def image_inches(text: str) -> float:
    """``--width``: a number of inches within the images' :data:`.render.image.WIDTH_RANGE`."""
    low, high = WIDTH_RANGE
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of inches: {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"the width must be a number of inches from {low:g} to {high:g}, not {text}")
    return value


def positive_dpi(text: str) -> float:
    """``--dpi``: a PNG's pixels per inch, from 10 to 2,400."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of pixels per inch: {text!r}") from None
    if not 10 <= value <= 2400:
        raise argparse.ArgumentTypeError(f"the dpi must be from 10 to 2400, not {text}")
    return value


#: What ``--format`` may name, and what an output file's suffix names when it is not given.
OUTPUT_FORMATS = ("html", "latex", "text", *IMAGE_FORMATS)
SUFFIX_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".tex": "latex", ".txt": "text"}


def output_format(args: argparse.Namespace) -> str:
    """``--format``, or what ``-o FILE``'s suffix names (``html`` otherwise). An image
    format and an output file whose suffix names another format are an OptionError: the
    file would hold something its name does not say."""
    suffix = os.path.splitext(args.output)[1].lower() if args.output else ""
    named = SUFFIX_FORMATS.get(suffix)
    if args.format is None:
        return named or "html"
    clash = named is not None and named != args.format
    if clash and (named in IMAGE_FORMATS or args.format in IMAGE_FORMATS):
        raise OptionError(f"--format {args.format} with -o {args.output}: the suffix names {named}; make them agree")
    return args.format


def write_image(viz: Visualization, args: argparse.Namespace) -> None:
    """``--format svg|png|pdf``: the image, to ``-o``; a missing glyph is a warning on standard error."""
    if args.output is None:
        raise OptionError(f"--format {args.format} writes a file: give -o FILE")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save_image(viz, args.output, args.format, args.width, args.dpi)
    for warning in caught:
        print(f"{PROGRAM}: warning: {warning.message}", file=sys.stderr)


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
        "normalize": args.normalize,
        "normalize-over": args.normalize_over,
        "aggregate": args.aggregate,
        "view": args.view,
    }
    return {name: value for name, value in given.items() if value is not None}


def read_options(args: argparse.Namespace) -> dict[str, str | None]:
    """How to read ``--data``, as the directive spells the options (:data:`.options.READ_OPTIONS`)."""
    return {"format": args.format_in, "sequence": args.sequence, "step": args.step, "reduce": args.reduce}


def read_data(args: argparse.Namespace, stdin: BinaryIO) -> TokenScores:
    """The data the arguments name: ``--data``, or the tokens and scores files."""
    if args.data is not None:
        if args.text_path is not None or args.score_path is not None:
            raise OptionError("give --data or --text_path/--score_path, not both")
        if args.data == STDIN:
            return parse_tsv(decode_text(stdin.read(), STDIN_NAME), STDIN_NAME)
        return read_data_file(args.data, args.data, options=parse_read_options(read_options(args)))
    check_no_read_options(read_options(args), "a tokens file and a scores file")
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


@dataclasses.dataclass(frozen=True)
class Block:
    """A figure written as a Markdown block (``--block``): its data and its options."""

    data: TokenScores
    options: dict[str, str]


def block_name(args: argparse.Namespace) -> str:
    """The name messages give the block's document."""
    if args.block_source:
        return args.block_source
    return STDIN_NAME if args.block == STDIN else args.block


def read_block(args: argparse.Namespace, stdin: BinaryIO) -> Block:
    """The ``--block``: leading ``#| key: value`` lines (Quarto's cell options) and the
    MkDocs block's syntax (:func:`~.blocks.parse_block`); paths in it are relative
    to the current directory. Lines are counted from ``--block-line`` + 1."""
    from .blocks import is_option_line, parse_block, read_block_data
    from .fences import FencedBlock

    if args.data is not None or args.text_path is not None or args.score_path is not None:
        raise OptionError("give --block or --data or --text_path/--score_path, not more than one")
    name = block_name(args)
    text = decode_text(stdin.read(), name) if args.block == STDIN else read_text(args.block, args.block)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    first = args.block_line + 1
    cell = 0
    options: dict[str, str] = {}
    while cell < len(lines) and lines[cell].startswith("#|"):
        line = lines[cell][2:].strip()
        if line:
            if not is_option_line(line):
                raise OptionError(f"expected '#| key: value', not {lines[cell]!r}", name, first + cell)
            [(key, value)] = parse_block(FencedBlock(0, (line,)), name, first + cell).options.items()
            if key in options:
                raise OptionError(f"{key} is given twice", name, first + cell)
            options[key] = value
        cell += 1
    body = parse_block(FencedBlock(0, tuple(lines[cell:])), name, first + cell)
    for key, value in body.options.items():
        if key in options:
            raise OptionError(f"{key} is given twice (as '#| {key}:' and '{key}:')", name, first + cell)
        options[key] = value
    data = read_block_data(body, options, name, lambda path: (path, Path(path)))
    return Block(data, {key: value for key, value in options.items() if key in OPTION_NAMES})


def block_message(error: AttnvizError, args: argparse.Namespace) -> str:
    """An error of a ``--block`` as the MkDocs plugin words it: located at a line of the
    block's document, or at its opening fence followed by the data file and its line."""
    name = block_name(args)
    if error.source == name and error.line is not None:
        return error.located()
    where = f"{name}:{args.block_line}" if args.block_line > 0 else name
    return f"{where}: {error.located()}"


def _read(path: str, stdin: BinaryIO, source: str) -> str:
    return decode_text(stdin.read(), source) if path == STDIN else read_text(path, source)


def render(viz: Visualization, args: argparse.Namespace) -> Iterator[str]:
    """The output ``--format`` and ``--fragment`` ask for, in pieces."""
    if args.format == "text":
        from .render.text import render_text

        yield render_text(viz)
    elif args.format == "latex":
        from .render.latex import latex_fragment, unsupported_message
        from .render.matrix import LATEX_PACKAGES

        fragment = latex_fragment(viz, args.latex_engine)
        if fragment.unsupported:
            remedy = "--latex-engine xelatex or lualatex"
            print(
                f"{PROGRAM}: warning: {unsupported_message(fragment.unsupported, args.latex_engine, remedy)}",
                file=sys.stderr,
            )
        if args.fragment:
            yield fragment.source
        else:
            document = latex_document(fragment.source, args.title, args.latex_engine)
            if viz.view == "matrix":  # the table's packages, after xcolor
                packages = "".join(f"\\usepackage{{{package}}}\n" for package in LATEX_PACKAGES)
                document = document.replace("\\usepackage{xcolor}\n", "\\usepackage{xcolor}\n" + packages, 1)
            yield document
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
        if args.stylesheet:
            write([stylesheet()], args.output, stdout)
            return 0
        args.format = output_format(args)
        if args.block is not None:
            block = read_block(args, stdin)
            viz = visualize(block.data, parse_options({**option_strings(args), **block.options}))
        else:
            viz = visualize(read_data(args, stdin), parse_options(option_strings(args)))
        if args.format in IMAGE_FORMATS:
            write_image(viz, args)
        else:
            write(render(viz, args), args.output, stdout)
    except AttnvizError as error:
        message = block_message(error, args) if args.block is not None else error.located()
        print(f"{PROGRAM}: error: {message}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"{PROGRAM}: error: {error.filename or args.output}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


def main_exit() -> None:
    """The console script: run :func:`main` and exit with its status."""
    sys.exit(main())
