"""The Sphinx front: a thin adapter from the ``attention-viz`` directive to the core."""
