extensions = ["sphinxcontrib_attnviz"]
show_warning_types = True
project = "tokenizers"
version = "1"
copyright = "2026, the sphinxcontrib-attnviz developers"
