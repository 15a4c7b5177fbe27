"""``python -m sphinxcontrib_attnviz.myst``: the MyST executable plugin."""

from . import main

raise SystemExit(main())
