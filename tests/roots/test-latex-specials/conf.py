project = "Specials"
extensions = ["sphinxcontrib_attnviz"]
show_warning_types = True
