"""An example module whose docstrings draw figures; ``docs/docstrings.rst`` documents it
with ``.. automodule::``.

The data file is named with a leading ``/``, so it is read from the top of the docs
folder whichever page holds the ``automodule`` directive:

.. attention-viz:: /data/minilm/review_attention.tsv
   :caption: Attention from ``[CLS]`` to each token (MiniLM-L6, last layer, mean of its heads).
"""

from __future__ import annotations

__all__ = ["mean_score"]


def mean_score(scores: list[float]) -> float:
    """The mean of one row of scores.

    Inline data needs no file, so it reads the same from any page:

    .. attention-viz::
       :cmap: Oranges
       :legend:

       small   0.1
       scores  0.2
       stand   0.7
       apart   0.9

    :param scores: one score per token, at least one.
    :returns: their mean.
    """
    return sum(scores) / len(scores)
