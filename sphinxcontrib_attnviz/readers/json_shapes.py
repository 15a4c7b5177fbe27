"""Tools whose outputs are plain lists and mappings: ferret, transformers-interpret, LIT.

- **ferret** (``ferret/explainers/explanation.py``): ``Benchmark.explain`` gives a list of
  ``Explanation`` (``tokens``, ``scores``, ``explainer``, ``target``, ...), one per
  explainer: a row each, named by ``explainer`` (a repeated one numbered, ``LIME (2)``).
  ``evaluate_explanations`` items (with ``.explanation``) are read as their explanation.
  JSON: ``json.dump([{**vars(e), "scores": e.scores.tolist()} for e in explanations], f)``.
- **transformers-interpret**: ``word_attributions``, a list of ``(token, score)`` pairs:
  one unnamed row; a multi-label explainer's ``{label: [(token, score), ...]}``: a row per
  label. JSON: ``json.dump(word_attributions, f)`` (pairs become 2-item lists), or an
  object with the key ``word_attributions``.
- **LIT** (``lit_nlp/api/dtypes.py``): a ``TokenSalience`` (``tokens``, ``salience``):
  one unnamed row; a mapping of field names to ``TokenSalience`` (an interpreter's output
  for one example): a row per field. JSON as ``lit_nlp/lib/serialize.py`` writes it,
  ``salience`` a list or ``{"__class__": "np.ndarray", "__value__": [...]}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..data import unique_labels
from ..errors import DataError
from . import (
    ToolScores,
    has_members,
    label_of,
    member,
    rows_sharing_tokens,
    same_tokens,
    score_row,
    token_list,
)

FERRET_MEMBERS = ("tokens", "scores", "explainer")
LIT_MEMBERS = ("tokens", "salience")


def _is_list(obj: Any) -> bool:
    return isinstance(obj, Sequence) and not isinstance(obj, str | bytes)


def _kind(obj: Any, python: str) -> str:
    """``JSON`` for parsed JSON (lists, dicts), else the tool's Python name."""
    first = obj[0] if _is_list(obj) and obj else obj
    return "JSON" if isinstance(first, Mapping | list) else python


# ferret


def looks_like_ferret(obj: Any) -> bool:
    """A non-empty list of ferret explanations (or of evaluations holding one), or their JSON."""
    if not _is_list(obj) or not obj:
        return False
    first = member(obj[0], "explanation", obj[0])
    return has_members(first, *FERRET_MEMBERS)


def from_ferret(obj: Any, source: str | None = None) -> ToolScores:
    """Tokens and a row per explanation, named by its ``explainer``; all must share their tokens."""
    what = f"ferret {_kind(obj, 'explanations')}"
    if not _is_list(obj) or not obj:
        raise DataError(f"{what}: expected a non-empty list of explanations", source)
    explanations = [member(item, "explanation", item) for item in obj]  # an ExplanationEvaluation's own
    tokens, rows = rows_sharing_tokens(
        ((f"explanation {index}", explanation) for index, explanation in enumerate(explanations)),
        FERRET_MEMBERS,
        lambda explanation: member(explanation, "scores"),
        what,
        source,
    )
    labels = [label_of(member(explanation, "explainer")) for explanation in explanations]
    return tokens, dict(zip(unique_labels(labels), rows, strict=True))


# transformers-interpret


def _is_pair(item: Any) -> bool:
    return _is_list(item) and len(item) == 2 and isinstance(item[0], str)


def looks_like_transformers_interpret(obj: Any) -> bool:
    """``word_attributions`` (a non-empty list of ``(token, score)`` pairs), ``{"word_attributions": ...}``,
    or ``{label: word_attributions}`` (the first item of the first list is looked at)."""
    if isinstance(obj, Mapping):
        if "word_attributions" in obj:
            return True
        first = next(iter(obj.values()), None)
        return bool(obj) and _is_list(first) and bool(first) and _is_pair(first[0])
    return _is_list(obj) and bool(obj) and _is_pair(obj[0])


def from_transformers_interpret(obj: Any, source: str | None = None) -> ToolScores:
    """Tokens and one unnamed row from ``(token, score)`` pairs; a row per label from a mapping of them."""
    what = f"transformers-interpret {'JSON' if isinstance(obj, Mapping) or _has_lists(obj) else 'word_attributions'}"
    if isinstance(obj, Mapping) and "word_attributions" in obj:
        obj = obj["word_attributions"]
    named = obj.items() if isinstance(obj, Mapping) else [(None, obj)]
    tokens: list[str] = []
    rows: dict[str | None, Any] = {}
    for index, (label, pairs) in enumerate(named):
        which = "word_attributions" if label is None else f"word_attributions of {label!r}"
        if not _is_list(pairs) or not pairs:
            raise DataError(f"{what}: {which} must be a non-empty list of (token, score) pairs", source)
        bad = next((i for i, pair in enumerate(pairs) if not (_is_list(pair) and len(pair) == 2)), None)
        if bad is not None:
            raise DataError(f"{what}: {which}[{bad}] is {pairs[bad]!r}, not a (token, score) pair", source)
        pair_tokens = token_list([pair[0] for pair in pairs], what, source, f"{which} tokens")
        if index == 0:
            tokens = pair_tokens
        else:
            same_tokens(pair_tokens, tokens, what, which, source)
        rows[label] = score_row([pair[1] for pair in pairs], tokens, what, f"{which} scores", source)
    return tokens, rows


def _has_lists(obj: Any) -> bool:
    return _is_list(obj) and bool(obj) and isinstance(obj[0], list)


# LIT


def looks_like_lit(obj: Any) -> bool:
    """A ``TokenSalience`` or its JSON, or a mapping of field names to them (the first is looked at)."""
    if has_members(obj, *LIT_MEMBERS):
        return True
    if isinstance(obj, Mapping) and obj:
        return has_members(next(iter(obj.values())), *LIT_MEMBERS)
    return False


def from_lit(obj: Any, source: str | None = None) -> ToolScores:
    """Tokens and one unnamed row (a ``TokenSalience``), or a row per field (a mapping of them)."""
    what = f"LIT {'JSON' if isinstance(obj, Mapping) else 'TokenSalience'}"
    if has_members(obj, *LIT_MEMBERS):
        named: Any = [(None, obj)]
    elif isinstance(obj, Mapping):
        named = obj.items()
    else:
        raise DataError(f"{what}: expected tokens and salience, or field names -> TokenSalience", source)
    named = list(named)

    def salience_of(salience: Any) -> Any:
        values = member(salience, "salience")
        if isinstance(values, Mapping) and values.get("__class__") == "np.ndarray":  # serialize.py's invertible form
            return values.get("__value__")
        return values

    tokens, rows = rows_sharing_tokens(
        (("TokenSalience" if field is None else f"field {field!r}", salience) for field, salience in named),
        LIT_MEMBERS,
        salience_of,
        what,
        source,
        scores_name="salience",
        hint="; expected a TokenSalience",
    )
    return tokens, dict(zip((field for field, _ in named), rows, strict=True))
