"""SHAP's text explanations, read by duck typing (shap is never imported).

A ``shap.Explanation`` of one text: ``.values`` of shape [tokens] or [tokens, outputs],
``.data`` the tokens as SHAP's Text masker cut them, each with its own whitespace
(``"Hello "``, kept as it is), ``.output_names`` naming the outputs: one row per output
named by it (``output 0``, ``output 1``, ... when there are none); one-dimensional values
are one row, named by ``output_names`` when it is one string (or a list of one), else
unnamed. A batch (``explainer([...])``) is refused: pick one text, ``explanation[0]``.

Files hold the same three names, from one of these exports::

    e = shap_values[0]
    np.savez("shap.npz", values=e.values, data=e.data.astype(str), output_names=np.asarray(e.output_names, dtype=str))
    json.dump({"values": e.values.tolist(), "data": e.data.tolist(), "output_names": list(e.output_names)}, f)

An ``.npz`` is read with ``allow_pickle=False``: an object array (``data`` not cast with
``astype(str)``) is refused, never unpickled.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..data import read_bytes, unique_labels
from ..errors import DataError
from . import ToolScores, float_array, has_members, label_of, member, token_list

MEMBERS = ("values", "data")
NPZ_MAGIC = b"PK\x03\x04"


def looks_like_shap(obj: Any) -> bool:
    """A SHAP ``Explanation`` (attributes ``values``, ``data``, ``output_names``), its JSON
    (keys ``values`` and ``data``), or the bytes of an ``.npz`` holding ``values`` and ``data``."""
    if isinstance(obj, bytes):
        if not obj.startswith(NPZ_MAGIC):
            return False
        try:
            names = zipfile.ZipFile(io.BytesIO(obj)).namelist()
        except zipfile.BadZipFile:
            return False
        return {"values.npy", "data.npy"} <= set(names)
    if isinstance(obj, Mapping):
        return all(name in obj for name in MEMBERS)
    return has_members(obj, *MEMBERS, "output_names")


def from_explanation(obj: Any, source: str | None = None, what: str | None = None) -> ToolScores:
    """Tokens (``data``) and rows (``values``, named by ``output_names``) of one text's explanation."""
    what = what or ("SHAP JSON" if isinstance(obj, Mapping) else "SHAP Explanation")
    for name in MEMBERS:
        if member(obj, name) is None:
            raise DataError(f"{what}: no {name!r}; expected values, data and output_names", source)
    values = member(obj, "values")
    if isinstance(values, np.ndarray) and values.dtype == object:  # a batch of texts of different lengths
        raise DataError(
            f"{what}: values is a batch of {len(values)} texts; give one text's explanation, e.g. [0]", source
        )
    values = float_array(values, what, "values", source)
    if values.ndim not in (1, 2):
        hint = "; give one text's explanation, e.g. [0]" if values.ndim == 3 else ""
        raise DataError(
            f"{what}: values has shape {values.shape}; expected [tokens] or [tokens, outputs]{hint}", source
        )
    tokens = token_list(member(obj, "data"), what, source, "data")
    if len(tokens) != values.shape[0]:
        raise DataError(
            f"{what}: {len(tokens)} tokens in data but values has shape {values.shape}; "
            "expected [tokens] or [tokens, outputs]",
            source,
        )
    names = _output_names(member(obj, "output_names"), what, source)
    if values.ndim == 1:
        label = names if isinstance(names, str) else names[0] if names is not None and len(names) == 1 else None
        return tokens, {label: values}
    outputs = values.shape[1]
    if isinstance(names, str) or (names is not None and len(names) != outputs):
        count = 1 if isinstance(names, str) else len(names or ())
        raise DataError(f"{what}: {count} output_names for {outputs} outputs (values has shape {values.shape})", source)
    labels = unique_labels(names if names is not None else [f"output {index}" for index in range(outputs)])
    return tokens, dict(zip(labels, values.T, strict=True))


def _output_names(names: Any, what: str, source: str | None) -> str | list[str] | None:
    """``output_names`` as SHAP gives them: None, one name, or a list (an array) of names."""
    if names is None or isinstance(names, str):
        return names
    if isinstance(names, np.ndarray):
        names = names.tolist()
    if isinstance(names, str):  # a 0-d array of one name
        return names
    if not isinstance(names, list | tuple):
        raise DataError(f"{what}: output_names must be a list of names, not {type(names).__name__}", source)
    return [label_of(name) for name in names]


def read_shap_npz(path: str | Path, source: str | None = None) -> ToolScores:
    """An ``.npz`` with ``values``, ``data`` and optionally ``output_names`` (never unpickled)."""
    source = source or str(path)
    return parse_shap_npz(read_bytes(path, source), source)


def parse_shap_npz(raw: bytes, source: str | None = None) -> ToolScores:
    """The bytes of an ``.npz`` holding a SHAP explanation (:func:`read_shap_npz`)."""
    what = "SHAP .npz"
    try:
        archive = np.load(io.BytesIO(raw), allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise DataError(f"{what}: not a NumPy .npz file ({error})", source) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise DataError(f"{what}: a single .npy array, not an .npz archive of values, data and output_names", source)
    with archive:
        missing = [name for name in MEMBERS if name not in archive.files]
        if missing:
            raise DataError(
                f"{what}: no {' or '.join(missing)} (it holds {', '.join(archive.files) or 'nothing'}); "
                "expected values, data and output_names",
                source,
            )
        arrays = {}
        for name in (*MEMBERS, "output_names"):
            if name not in archive.files:
                continue
            try:
                arrays[name] = archive[name]
            except ValueError as error:
                if "allow_pickle" not in str(error):
                    raise DataError(f"{what}: {name} cannot be read: {error}", source) from None
                raise DataError(
                    f"{what}: {name} is an array of Python objects, which would have to be unpickled: "
                    f"refused (save it with {name}.astype(str) for text)",
                    source,
                ) from None
    return from_explanation(arrays, source, what)
