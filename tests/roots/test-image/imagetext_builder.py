"""A third-party-like builder for the tests: it writes docutils' own nodes only (no
visitor of sphinxcontrib-attnviz answers to its name or format) and shows PNG images."""

from sphinx.builders.text import TextBuilder


class ImageTextBuilder(TextBuilder):
    name = "imagetext"
    format = "imagetext"
    supported_image_types = ["image/png"]  # noqa: RUF012 (as Sphinx's builders declare it)


def setup(app):
    app.add_builder(ImageTextBuilder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
