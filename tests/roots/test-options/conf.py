project = "Options"
extensions = ["myst_parser", "sphinxcontrib_attnviz"]
show_warning_types = True
numfig = True
