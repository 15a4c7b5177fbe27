"""The texts the floor, scaling and peer rows measure, the CPython floor, and the check that
an HTML output shows every token as it is.

Only the standard library and NumPy: the peer measurements (``benchmarks/peers.py``) import
this module too, in the bench venv, where the peers' own NumPy is installed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from html.parser import HTMLParser

import numpy as np

#: Words of the Zipf texts' vocabulary.
VOCABULARY = 20_000
#: Entities that a page must escape for the browser to show the token as it is.
ENTITIES = ("&lt;", "&gt;", "&amp;", "&quot;")


def vocabulary(rng: np.random.Generator, size: int = VOCABULARY) -> list[str]:
    """``size`` random lowercase words of 2 to 9 letters; every 50th is a tag (``<word>``),
    every 50th another is two words joined by ``&``, and every 100th is an entity's text
    (``&lt;`` ...): frequent ranks (3, 7, 13) among them, so that a text of 1,000 words
    has some."""
    letters = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype="S1")
    lengths = rng.integers(2, 10, size=size)
    drawn = letters[rng.integers(0, 26, size=int(lengths.sum()))].tobytes().decode()
    ends = np.cumsum(lengths)
    words = [drawn[end - length : end] for end, length in zip(ends.tolist(), lengths.tolist(), strict=True)]
    for index in range(size):
        if index % 50 == 3:
            words[index] = f"<{words[index]}>"
        elif index % 50 == 7:
            words[index] = f"{words[index]}&{words[index - 1]}"
        elif index % 100 == 13:
            words[index] = ENTITIES[index // 100 % len(ENTITIES)]
    return words


def zipf_text(count: int, seed: int = 0) -> tuple[list[str], list[float]]:
    """``count`` words drawn from :func:`vocabulary` with Zipf-distributed ranks (exponent
    1.1, as in natural text: a few words make most of it), and random scores in [0, 1)."""
    rng = np.random.default_rng(seed)
    words = vocabulary(rng)
    ranks = rng.zipf(1.1, size=count) % len(words)
    return [words[rank] for rank in ranks.tolist()], rng.random(count).tolist()


def distinct_text(count: int, seed: int = 0) -> tuple[list[str], list[float]]:
    """``count`` tokens that are all different (``w{i}&{random}``: each needs escaping),
    and random scores in [0, 1)."""
    rng = np.random.default_rng(seed)
    drawn = rng.integers(1_000_000_000, size=count).tolist()
    return [f"w{index}&{value}" for index, value in enumerate(drawn)], rng.random(count).tolist()


def floor(tokens: Sequence[str], scores: Sequence[float], index: Sequence[int]) -> str:
    """What CPython can do at best for the same spans: the colours already computed (the
    palette ``index`` of each token), one f-string per token, the scores formatted in it,
    the tokens escaped by the C-level ``html.escape`` once over the joined text."""
    escaped = html.escape("\0".join(tokens), quote=False).split("\0")
    return "".join(
        [
            f'<span class="attnviz-token c{c}" title="{s:#.4g}">{t}</span>'
            for c, s, t in zip(index, scores, escaped, strict=False)
        ]
    )


class _Texts(HTMLParser):
    """The text nodes of a page, as a browser would show them (entities decoded), outside
    ``<script>`` and ``<style>``, each stripped of surrounding white space; empty ones left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if text and not self.hidden:
            self.texts.append(text)


#: How many text nodes past the last token found the next one may come (a peer's own
#: texts between tokens: a row number, a score).
WINDOW = 8


def not_shown(page: str, tokens: Sequence[str]) -> list[str]:
    """The tokens (each once) that ``page`` does not show as they are: each token, stripped,
    must be a text node of its own, in order, at most :data:`WINDOW` text nodes after the
    previous one found (that many more for each one missing in between). A token pasted
    unescaped (``<b>`` read as a tag, ``&lt;`` shown as ``<``) or rewritten (Captum shows
    ``<b>`` as ``#b``) is missing. The tokens are matched from the page's start and from its
    end, and the better match kept: SHAP's text plot draws the tokens sorted by score on an
    axis before the text."""
    parser = _Texts()
    parser.feed(page)
    parser.close()
    texts = parser.texts
    forward = _unmatched(texts, tokens)
    if not forward:
        return forward
    backward = _unmatched(texts[::-1], tokens[::-1])[::-1]
    return min(forward, backward, key=len)


def _unmatched(texts: Sequence[str], tokens: Sequence[str]) -> list[str]:
    """The tokens not found by one greedy pass of :func:`not_shown`, each once."""
    position, run, missing, seen = 0, 0, [], set()
    for token in tokens:
        wanted = token.strip()
        if not wanted:
            continue
        for ahead in range(position, min(position + WINDOW * (run + 1), len(texts))):
            if texts[ahead] == wanted:
                position, run = ahead + 1, 0
                break
        else:
            run += 1  # the next token may be further on: this one's texts are not where it is
            if token not in seen:
                seen.add(token)
                missing.append(token)
    return missing


def verbatim(page: str, tokens: Sequence[str]) -> str:
    """``"yes"``, or ``"no: N of M distinct tokens (e.g. ...)"``, for the table."""
    missing = not_shown(page, tokens)
    if not missing:
        return "yes"
    examples = ", ".join(repr(token) for token in missing[:3])
    return f"no: {len(missing):,} of {len(set(tokens)):,} distinct tokens (e.g. {examples})"
