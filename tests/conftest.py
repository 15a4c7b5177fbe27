"""Sphinx's test fixtures, with the test projects under ``tests/roots``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pages import ROOTS

pytest_plugins = ["sphinx.testing.fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    """Colour tables kept by the runs of this session go to a folder of its own, never the
    user's cache folder (:mod:`sphinxcontrib_attnviz.colour_cache`): every test and every
    process it starts works them out, or reads what this session kept."""
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="attnviz-test-cache-")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def copy_project(rootdir: Path, tmp_path: Path) -> Callable[..., Path]:
    """Copy the test project ``tests/roots/test-NAME`` to a fresh folder; return its path.

    For tests that build several times or edit the sources, which must not share
    the copy Sphinx's ``testroot`` makes once per session.
    """

    def copy(name: str, folder: str = "src") -> Path:
        return Path(shutil.copytree(rootdir / f"test-{name}", tmp_path / folder))

    return copy


@pytest.fixture
def poppler() -> None:
    """``pdfinfo`` and ``pdftotext`` (Debian: poppler-utils) on the path: skip without
    them, except under ``CI=true``, where that is a failure."""
    missing = [tool for tool in ("pdfinfo", "pdftotext") if shutil.which(tool) is None]
    if missing:
        message = f"missing {', '.join(missing)}: install Debian's poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
