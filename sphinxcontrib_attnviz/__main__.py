"""``python -m sphinxcontrib_attnviz``: the command line."""

from .cli import main_exit

main_exit()
