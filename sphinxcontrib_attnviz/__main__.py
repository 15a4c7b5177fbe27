"""``python -m sphinxcontrib_attnviz``: the command line."""

import sys

from .cli import main

sys.exit(main())
