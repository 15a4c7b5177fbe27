import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # imagetext_builder

project = "Image"
version = release = "1.0"
copyright = "2026, the authors"
author = "the authors"
extensions = ["sphinxcontrib_attnviz", "imagetext_builder"]
show_warning_types = True
numfig = True
rinoh_documents = [{"doc": "index", "target": "image", "title": "Image", "author": "the authors"}]
