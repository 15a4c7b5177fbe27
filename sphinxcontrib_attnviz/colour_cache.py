"""Colour tables kept in the user's cache folder, so that a later run need not import
matplotlib or coloraide to work them out again.

A table is an (N, 3) uint8 array of sRGB colours in a file named after a digest of all
it depends on (:func:`cache_key`: the packages' releases, the code that made it, its
input), ending with a digest of its own bytes: a file that does not hold what was
written is ignored, and the table is worked out anew. Files are written under a
temporary name, then moved into place, so that a reader never sees half a file; a cache
folder that cannot be written (a read-only home) is no error, only slower. The folder is
the platform's user cache folder (``platformdirs``: ``$XDG_CACHE_HOME`` or ``~/.cache``
on Linux), in ``sphinxcontrib-attnviz``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
from functools import cache

import numpy as np

#: The application folder in the user's cache folder.
CACHE_NAME = "sphinxcontrib-attnviz"
#: Bytes of the digest that ends a kept table.
_CHECK_BYTES = 16


def cache_folder() -> str | None:
    """The folder tables are kept in (None where the platform has no user cache folder)."""
    import platformdirs

    try:
        return platformdirs.user_cache_dir(CACHE_NAME, appauthor=False)
    except (OSError, KeyError, RuntimeError):  # no home folder
        return None


@cache
def package_release(package: str, filename: str) -> bytes | None:
    """What names an installed package's release, read without importing the package: the
    file of its own that holds its version (None where it cannot be read: nothing is then
    kept, as a table could not be told from one of another release)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        try:
            with open(os.path.join(location, filename), "rb") as file:
                return file.read()
        except OSError:
            continue
    return None


def cache_key(kind: str, *parts: bytes | None) -> str | None:
    """The name of the table of ``kind`` that ``parts`` determine (None if one is unknown)."""
    if any(part is None for part in parts):
        return None
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())  # type: ignore[arg-type]
    return f"{kind}-{digest.hexdigest()[:32]}"


def _path(key: str) -> str | None:
    folder = cache_folder()
    return None if folder is None else os.path.join(folder, f"{key}.rgb")


def read_rgb(key: str | None) -> np.ndarray | None:
    """The (N, 3) uint8 table kept under ``key``, or None (none kept, or not as written)."""
    path = _path(key) if key is not None else None
    if path is None:
        return None
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    body, check = data[:-_CHECK_BYTES], data[-_CHECK_BYTES:]
    if not body or len(body) % 3 or hashlib.sha256(body).digest()[:_CHECK_BYTES] != check:
        return None
    return np.frombuffer(body, dtype=np.uint8).reshape(-1, 3).copy()


def write_rgb(key: str | None, rgb: np.ndarray) -> None:
    """Keep the (N, 3) uint8 table ``rgb`` under ``key`` (nothing for a None key)."""
    path = _path(key) if key is not None else None
    if path is None:
        return
    body = np.ascontiguousarray(rgb, dtype=np.uint8).tobytes()
    partial = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(partial, "wb") as file:
            file.write(body + hashlib.sha256(body).digest()[:_CHECK_BYTES])
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)
