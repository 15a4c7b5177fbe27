project = "Matrix"
extensions = ["sphinxcontrib_attnviz"]
show_warning_types = True
numfig = True
html_theme = "alabaster"  # tests/test_matrix_browser.py overrides it for each theme
attnviz_allow_outside_srcdir = True  # the real inseq and Captum files, from tests/data
