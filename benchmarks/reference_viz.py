"""The original ``viz.py``'s way, kept as the baseline the benchmarks measure against.

One scalar at a time, as the original did: per token a ``Normalize`` call, a colormap
call, ``to_hex`` and string formatting, a CSS class and rule of its own, tokens pasted
unescaped, a web font from the internet. (``matplotlib.colormaps[...]`` stands in for
``cm.get_cmap``, which matplotlib 3.9 removed; the mean is the original's signed one.)

    python benchmarks/reference_viz.py --text_path text --score_path score > index.html
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import matplotlib
import numpy as np
from matplotlib.colors import Normalize, to_hex

HEAD = (
    "<html><head><meta charset='utf-8'>"
    '<link href="https://fonts.googleapis.com/css?family=Roboto+Mono" rel="stylesheet">'
    '<style>body { font-family: "Roboto Mono", monospace; }\n'
)


def reference_page(tokens: Sequence[str], scores: Sequence[float], cmap: str = "BuGn", alpha: float = 1.0) -> str:
    """The original's page for ``tokens`` and ``scores``."""
    offset = np.mean(scores) * alpha
    norm = Normalize(vmin=min(scores) - offset, vmax=max(scores) + offset)
    colormap = matplotlib.colormaps[cmap]
    rules, spans = [], []
    for index, (token, score) in enumerate(zip(tokens, scores, strict=True)):
        colour = to_hex(colormap(norm(score)))
        rules.append(f".t{index} {{ background-color: {colour}; }}\n")
        spans.append(f'<span class="t{index}">{token}</span> ')
    return HEAD + "".join(rules) + "</style></head><body>\n" + "".join(spans) + "\n</body></html>\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--text_path", default="text")
    parser.add_argument("--score_path", default="score")
    parser.add_argument("--cmap", default="BuGn")
    parser.add_argument("--alpha", type=float, default=1.0)
    args = parser.parse_args()
    with open(args.text_path, encoding="utf-8") as file:
        tokens = [line.strip() for line in file if line.strip()]
    with open(args.score_path, encoding="utf-8") as file:
        scores = [float(line) for line in file if line.strip()]
    print(reference_page(tokens, scores, args.cmap, args.alpha), end="")


if __name__ == "__main__":
    main()
