"""The peers' HTML for the same tokens and scores, measured in the bench venv (``make bench``
makes ``.venv-bench``: torch's CPU build, Captum, inseq, SHAP, and this package), and ours in
the same process for the ratio. ``bench.py`` runs it as a subprocess:

    .venv-bench/bin/python benchmarks/peers.py texts.json --repeats 3

``texts.json`` is a list of ``{"tokens": [...], "scores": [...]}``, one per size. Prints one
JSON object: ``versions``, ``skipped`` (a peer's name and why) and ``results`` (one per peer
and size: seconds, bytes raw and gzip, and whether every token shows as it is, each for the
peer and for ours).

- **Captum**: ``format_word_importances(tokens, scores)``, the word-importance cell that
  ``visualize_text`` puts in its table (``visualize_text`` itself needs IPython to display it).
- **inseq**: ``show_attributions(..., display=False, return_html=True)`` of a
  ``FeatureAttributionSequenceOutput`` built from the tokens (the source) and the scores (one
  generated token's attributions), no model run: the source saliency heatmap, a table of one
  row per token. Outside a notebook it also computes the console's colours.
- **SHAP**: ``shap.plots.text(shap.Explanation(scores, base_values=0, data=tokens),
  display=False)``: the text plot (a force plot's axis, then the tokens).
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import sys
import time
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workloads import verbatim  # noqa: E402

Renderer = Callable[[list[str], list[float]], str]


def captum() -> Renderer:
    from captum.attr._utils.visualization import format_word_importances

    return lambda tokens, scores: format_word_importances(tokens, np.array(scores))


def inseq() -> Renderer:
    import torch
    from inseq.data import FeatureAttributionSequenceOutput
    from inseq.data.viz import show_attributions
    from inseq.utils.typing import TokenWithId

    def render(tokens: list[str], scores: list[float]) -> str:
        output = FeatureAttributionSequenceOutput(
            source=[TokenWithId(token, index) for index, token in enumerate(tokens)],
            target=[TokenWithId("next", 0)],
            source_attributions=torch.tensor(scores).unsqueeze(1),
            target_attributions=None,
            step_scores={},
            sequence_scores=None,
            attr_pos_start=0,
            attr_pos_end=1,
        )
        return show_attributions(output, display=False, return_html=True)

    return render


def shap() -> Renderer:
    import shap as shap_module

    def render(tokens: list[str], scores: list[float]) -> str:
        explanation = shap_module.Explanation(
            values=np.array(scores), base_values=0.0, data=np.array(tokens, dtype=object)
        )
        return shap_module.plots.text(explanation, display=False)

    return render


def ours() -> Renderer:
    from sphinxcontrib_attnviz.data import ScoreRow, TokenScores
    from sphinxcontrib_attnviz.render.html import render_html
    from sphinxcontrib_attnviz.visualization import visualize

    return lambda tokens, scores: render_html(
        visualize(TokenScores(tuple(tokens), (ScoreRow(None, np.array(scores)),)))
    )


#: Each peer: its name, the distributions whose versions the table gives, and its renderer.
PEERS: list[tuple[str, tuple[str, ...], Callable[[], Renderer]]] = [
    ("Captum", ("captum", "torch"), captum),
    ("inseq", ("inseq", "torch"), inseq),
    ("SHAP", ("shap",), shap),
]


def timed(render: Renderer, tokens: list[str], scores: list[float]) -> tuple[float, str]:
    start = time.perf_counter()
    page = render(tokens, scores)
    return time.perf_counter() - start, page


def figures(page: str, tokens: list[str]) -> dict[str, object]:
    data = page.encode()
    return {"raw": len(data), "gzip": len(gzip.compress(data, 6)), "verbatim": verbatim(page, tokens)}


def version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("texts", type=Path, help="a JSON list of {tokens, scores}, one per size")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs below 100,000 tokens")
    args = parser.parse_args()
    texts = json.loads(args.texts.read_text(encoding="utf-8"))
    warnings.simplefilter("ignore")  # the peers' deprecation and user warnings
    names = {"numpy", "torch", "captum", "inseq", "shap"}
    versions = {"python": platform.python_version(), **{name: version(name) for name in sorted(names)}}
    ours_render = ours()
    smallest = texts[0]
    ours_render(smallest["tokens"][:10], smallest["scores"][:10])
    results, skipped = [], {}
    for name, _, load in PEERS:
        try:
            render = load()
            render(smallest["tokens"][:10], smallest["scores"][:10])  # lazy imports, colormaps
        except Exception as error:  # not installed, or broken next to the others
            skipped[name] = f"{type(error).__name__}: {error}".splitlines()[0]
            continue
        for text in texts:
            tokens, scores = text["tokens"], text["scores"]
            repeats = args.repeats if len(tokens) < 100_000 else 1
            best, ours_best, page, our_page = float("inf"), float("inf"), "", ""
            try:
                for _ in range(repeats):  # taking turns, so that both see the same machine
                    elapsed, page = timed(render, tokens, scores)
                    best = min(best, elapsed)
                    elapsed, our_page = timed(ours_render, tokens, scores)
                    ours_best = min(ours_best, elapsed)
                peer_figures = figures(page, tokens)
            except Exception as error:
                skipped[f"{name} at {len(tokens):,} tokens"] = f"{type(error).__name__}: {error}".splitlines()[0]
                break
            del page
            results.append(
                {
                    "peer": name,
                    "size": len(tokens),
                    "seconds": best,
                    "ours_seconds": ours_best,
                    **peer_figures,
                    **{f"ours_{key}": value for key, value in figures(our_page, tokens).items()},
                }
            )
    json.dump({"versions": versions, "skipped": skipped, "results": results}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
