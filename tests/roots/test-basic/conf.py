project = "Basic"
version = release = "1.0"
copyright = "2026, the authors"
extensions = ["sphinxcontrib_attnviz"]
show_warning_types = True
