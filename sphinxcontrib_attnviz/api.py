"""The Python API: the same pictures as the directive, from in-memory data.

Scores may be lists, NumPy arrays, or tensors and arrays of any library and dtype
(PyTorch, bfloat16 included, on any device; JAX, CuPy through DLPack; anything with
``__array__``), read by :func:`~sphinxcontrib_attnviz.arrays.as_float_array` without
importing those libraries; one row or several: a 2-D array is one row per line, a
mapping names its rows.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Container, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .arrays import as_float_array
from .attention import attention_matrix
from .data import TokenScores, unique_labels
from .errors import DataError
from .options import READ_OPTIONS
from .pages import stylesheet
from .readers import from_tool_object, to_record
from .render.html import render_html as html_fragment
from .render.image import DEFAULT_DPI, DEFAULT_WIDTH, image_format, save_image
from .render.latex import latex_fragment, unsupported_message
from .render.text import render_text
from .sources import check_one_source, read_named_files
from .visualization import Visualization, options_from_keywords, visualize, visualize_lists

ScoresLike = Any  # a sequence of numbers, an array, a tensor, or a mapping of label -> one of those


def as_rows(scores: ScoresLike) -> list[float] | dict[str, list[float]]:
    """One list of floats, or row labels -> lists, from lists, arrays, tensors or mappings."""
    if isinstance(scores, Mapping):
        return {str(label): _as_vector(values) for label, values in scores.items()}
    array = as_float_array(scores)
    if array.ndim == 2:
        return {f"row {index + 1}": row.tolist() for index, row in enumerate(array)}
    return _as_vector(array)


def _as_vector(values: Any) -> list[float]:
    array = as_float_array(values)
    if array.ndim != 1:
        raise DataError(f"a row of scores must be one-dimensional, not of shape {array.shape}")
    return array.tolist()


#: A blank line in LaTeX source: a paragraph break, and where myst-nb cuts display math in two.
_BLANK_LINE = re.compile(r"\n(?=[ \t]*\n)")
#: The control word ``\\par`` (not ``\\parbox``); escaped text never holds one.
_PAR = re.compile(r"\\par(?![A-Za-z@])")


def _math_safe(fragment: str) -> str:
    """``fragment``, typeset the same in text and inside display math.

    nbconvert and nbsphinx (``.. math::`` with ``:nowrap:``) put a ``text/latex`` output
    in the document as it is, in text mode; myst-nb makes it a Sphinx ``math_block``, which
    the LaTeX builder wraps in ``equation*`` and ``split``. ``split`` reads its body as a
    macro argument, where a ``\\par`` or a blank line is an error, and a blank line also
    makes Sphinx cut the math in two. So ``\\par`` is written ``\\endgraf`` (LaTeX's name
    for the same primitive) and a blank line becomes a comment line. In math mode the
    fragment goes into a ``\\parbox`` of the line's width (``\\ifmmode`` picks, after a
    ``\\relax``: an alignment cell such as ``split``'s expands its first tokens before it
    enters math mode; the ``\\expandafter`` chain drops the ``\\fi`` before ``\\parbox``
    reads its width); in text mode it is a group, so long figures still break across pages.
    """
    body = _PAR.sub(r"\\endgraf", _BLANK_LINE.sub("\n%", fragment))
    return f"\\relax\\ifmmode\\expandafter\\parbox\\expandafter{{\\expandafter\\linewidth\\expandafter}}\\fi{{{body}}}"


class AttentionViz:
    """A visualisation; Jupyter shows it inline (``_repr_html_``), and notebooks built to
    PDF show it as LaTeX (``_repr_latex_``): :meth:`_repr_mimebundle_` gives both, with
    the text rendering as plain text.

    From tokens and their scores, or from the original ``text`` and each token's
    character span in it, ``offsets`` (N ``(start, end)`` pairs, what Hugging Face
    tokenizers return with ``return_offsets_mapping=True``), which shows the text exactly,
    each token's span coloured; ``tokens`` are then optional (the names of empty spans).
    Raises DataError for bad data (unequal counts, a score that is not finite, bad spans)
    and OptionError for a bad option.

    >>> AttentionViz(["wow", "great"], [0.1, 0.3], cmap="viridis")  # doctest: +SKIP
    >>> AttentionViz(text="Hi there", offsets=[(0, 2), (3, 8)], scores=[0.2, 0.7])  # doctest: +SKIP
    """

    def __init__(
        self,
        tokens: Iterable[str] | None = None,
        scores: ScoresLike = None,
        *,
        text: str | None = None,
        offsets: Iterable[tuple[int, int]] | None = None,
        **options: str | float | bool,
    ) -> None:
        if scores is None:
            raise DataError("no scores given")
        if text is None and offsets is None:
            if tokens is None:
                raise DataError("give tokens, or text and offsets")
            self.visualization: Visualization = visualize_lists(tokens, as_rows(scores), **options)
            return
        if text is None or offsets is None:
            raise DataError("text and offsets go together: give both")
        try:
            spans = list(offsets)
        except TypeError:
            raise DataError(f"offsets must be a list of (start, end) pairs, not {type(offsets).__name__}") from None
        data = TokenScores.checked_offsets(text, spans, as_rows(scores), tokens, missing=True)
        self.visualization = visualize(data, options_from_keywords(options))

    @classmethod
    def from_files(
        cls,
        data: str | os.PathLike[str] | None = None,
        *,
        tokens: str | os.PathLike[str] | None = None,
        scores: str | os.PathLike[str] | None = None,
        **options: str | float | bool,
    ) -> AttentionViz:
        """Read a data file (``.json``, ``.tsv``, ``.csv``, or another tool's output: an
        inseq file, a Captum, SHAP, ferret, transformers-interpret or LIT export), or a
        tokens file and a scores file, as the directive and the command line read them (the
        rules are in the docs' "Data formats: exact rules"), with no limit on their length.
        ``format``, ``sequence``, ``step`` and ``reduce`` say how to read the data file, as
        the directive's options do; the other ``options`` are the figure's.

        Raises DataFileError for a file that cannot be read (missing, not a regular file,
        not UTF-8), DataError for bad content, naming the file and line, OptionError for
        a bad option.
        """
        check_one_source(
            {"a data file": data is not None, "tokens/scores files": tokens is not None or scores is not None}
        )
        record = read_named_files(
            data_file=None if data is None else os.fspath(data),
            tokens=None if tokens is None else os.fspath(tokens),
            text=None,
            scores=None if scores is None else os.fspath(scores),
            resolve=lambda name: (name, Path(name)),
            options={name: options.pop(name) for name in READ_OPTIONS if name in options},
        )
        return cls._of(record, options)

    @classmethod
    def from_attribution(cls, result: Any, **options: str | float | bool) -> AttentionViz:
        """The output of another tool, as it is in the notebook, read by duck typing (no
        tool is imported): a Captum ``LLMAttributionResult`` (a row ``seq_attr``, then a
        row per output token from ``token_attr``) or ``VisualizationDataRecord`` (or a list
        of them: a row each, named by ``attr_class``), a SHAP ``Explanation`` of one text
        (a row per output, named by ``output_names``; tokens keep SHAP's spaces), ferret's
        list of explanations (a row per explainer), a LIT ``TokenSalience``,
        transformers-interpret's ``word_attributions``; NaN scores are missing cells.

        Raises DataError naming the shapes looked for when ``result`` has none of them.
        """
        return cls._of(to_record(from_tool_object(result)), options)

    @classmethod
    def from_attention(
        cls,
        tokens: Iterable[str],
        attention: ScoresLike,
        *,
        queries: Iterable[str] | None = None,
        head: int | None = None,
        reduce: str | None = None,
        **options: str | float | bool,
    ) -> AttentionViz:
        """An attention matrix, queries by keys, drawn as the matrix view (``view="tokens"``
        draws a row per query instead): columns are ``tokens`` (the keys), rows the
        ``queries`` (default: the tokens themselves, for self-attention), each headed by its
        token.

        ``attention`` is a 2-D array ``[queries, keys]``, or one layer's attention as
        ``transformers`` returns it (``output_attentions=True``): ``[heads, queries, keys]``
        or ``[1, heads, queries, keys]`` (a batch of one). Of several heads, draw one,
        ``head`` (counted from 0), or ``reduce`` them: ``mean``, ``max`` or ``sum`` over the
        heads. NaN entries are missing cells (a causal mask's future, say). Arrays and
        tensors of any library, as the scores of :class:`AttentionViz`.

        Raises DataError for a shape that does not fit the tokens and queries, OptionError
        for a missing, unknown or out-of-range ``head``/``reduce``.
        """
        keys = list(tokens)
        rows = keys if queries is None else list(queries)
        if isinstance(attention, tuple | list) and attention and not isinstance(attention[0], int | float | list):
            raise DataError(
                f"attention is a sequence of {len(attention)} arrays (transformers' outputs.attentions: one "
                "per layer): pick a layer, e.g. outputs.attentions[-1]"
            )
        matrix = attention_matrix(as_float_array(attention), head, reduce)
        if matrix.shape != (len(rows), len(keys)):
            hint = (
                ""
                if queries is not None
                else " (without queries=, the queries are the tokens; give queries= for others)"
            )
            raise DataError(
                f"attention of shape {matrix.shape} (queries, keys) for {len(rows)} queries and {len(keys)} keys{hint}"
            )
        labels = unique_labels(rows)
        record = TokenScores.checked(keys, dict(zip(labels, matrix.tolist(), strict=True)), missing=True)
        return cls._of(replace(record, row_tokens=tuple(rows)), {"view": "matrix", **options})

    @classmethod
    def _of(cls, record: TokenScores, options: Mapping[str, str | float | bool]) -> AttentionViz:
        viz = cls.__new__(cls)
        viz.visualization = visualize(record, options_from_keywords(options))
        return viz

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        """What IPython stores as the output: ``text/html`` (:meth:`_repr_html_`),
        ``text/latex`` (:meth:`_repr_latex_`) and ``text/plain`` (the text rendering,
        :meth:`__repr__`), only those in ``include`` (all when it is None) and not in
        ``exclude``.

        Every front picks one: Jupyter, and the HTML builders of myst-nb and nbsphinx,
        take ``text/html``; their LaTeX builders and nbconvert's PDF take ``text/latex``;
        a terminal takes ``text/plain``.
        """
        reprs = {"text/html": self._repr_html_, "text/latex": self._repr_latex_, "text/plain": self.__repr__}
        return {
            mime: make()
            for mime, make in reprs.items()
            if (include is None or mime in include) and (exclude is None or mime not in exclude)
        }

    def _repr_latex_(self) -> str:
        """The LaTeX fragment the Sphinx LaTeX builder writes under pdflatex, which every
        engine compiles: characters pdflatex cannot typeset show as code-point markers,
        with no warning (Jupyter computes this for every display; :meth:`to_latex` with
        ``"xelatex"`` keeps them). It needs only the ``xcolor`` package (which ``sphinx.sty``
        and nbconvert's template load) and may sit in text or in display math: myst-nb
        puts ``text/latex`` in a ``math_block``, nbconvert and nbsphinx as it is. Shown
        alone, Jupyter would hand it to MathJax, which cannot draw it: frontends show
        ``text/html`` first.
        """
        return _math_safe(latex_fragment(self.visualization, "pdflatex").source)

    def _repr_html_(self) -> str:
        """The fragment with the package's stylesheet before it (a notebook has no other
        way to get the layout: aligned rows, clipped marks, scores on focus)."""
        return f"<style>{stylesheet()}</style>{self.to_html()}"

    def to_html(self) -> str:
        """The HTML fragment (a ``div.attnviz``), as the Sphinx directive writes it: its
        colours included; the layout (aligned rows, clipped marks, scores on focus) comes
        from the package's stylesheet, :func:`sphinxcontrib_attnviz.pages.stylesheet`,
        which a page must also carry (``_repr_html_`` puts it before the fragment)."""
        return html_fragment(self.visualization)

    def to_latex(self, engine: str = "pdflatex") -> str:
        """The LaTeX fragment for ``engine``: pdflatex writes characters it cannot typeset
        as code-point markers, and says which in a ``UserWarning``; xelatex and lualatex
        keep them."""
        fragment = latex_fragment(self.visualization, engine)
        if fragment.unsupported:
            warnings.warn(unsupported_message(fragment.unsupported, engine, 'to_latex("xelatex")'), stacklevel=2)
        return fragment.source

    def to_text(self) -> str:
        """Every token with its score, ``great[0.2670]``, a line per row, then the legend
        as a line, as ``attention-viz --format text`` prints it. A token holding a newline
        shows ``↵`` and ends its line, the row going on under its first token; every other
        control or line-separating character shows as its stand-in (``␍``, ``\\u2028``), so
        ``str.splitlines()`` gives exactly these lines."""
        return render_text(self.visualization)

    def save(self, path: str | os.PathLike[str], width: float = DEFAULT_WIDTH, dpi: float = DEFAULT_DPI) -> None:
        """Write the figure as an image, in the format its suffix names: ``.svg`` (text kept
        as text), ``.png`` (``dpi`` pixels per inch) or ``.pdf``, drawn with matplotlib,
        ``width`` inches wide (lines wrap there; the height is what the text needs), with
        the legend and row labels, as ``attention-viz --format svg --width 8 -o fig.svg``
        writes it, byte for byte. Warns (``UserWarning``) when no font has a glyph for a
        character; raises ValueError for another suffix or a width that is not positive."""
        save_image(self.visualization, path, image_format(path), width, dpi)

    def __str__(self) -> str:
        """The text rendering, :meth:`to_text`."""
        return self.to_text()

    def __repr__(self) -> str:
        """The text rendering, :meth:`to_text`, without its last newline: what a terminal
        (Python's or IPython's) shows, and a notebook's ``text/plain``."""
        return self.to_text().removesuffix("\n")


def render_html(tokens: Iterable[str], scores: ScoresLike, **options: str | float | bool) -> str:
    """The HTML fragment of ``tokens`` coloured by ``scores``, as the directive draws it.

    ``options`` are the directive's: ``cmap="viridis"``, ``alpha=0.5``, ``center=0``,
    ``legend=True``, ``scale_ignore="[CLS],[SEP]"``, ``subwords="wordpiece"``, ...
    """
    return AttentionViz(tokens, scores, **options).to_html()
