project = "Themes"
extensions = ["sphinxcontrib_attnviz"]
show_warning_types = True
numfig = True
html_theme = "alabaster"  # the browser tests override it for each theme
