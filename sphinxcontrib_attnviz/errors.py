"""The errors the core raises; every front turns them into its own kind of message."""

from __future__ import annotations


class AttnvizError(ValueError):
    """Base of the core's errors: a message, optionally located by source and line."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.located())

    def located(self) -> str:
        """The message prefixed with ``source:line:`` as far as they are known."""
        where = ":".join(str(part) for part in (self.source, self.line) if part is not None)
        return f"{where}: {self.message}" if where else self.message


class DataError(AttnvizError):
    """Bad data content: unequal counts, a line that is not a finite number, no data."""


class DataFileError(DataError):
    """A data file that cannot be read at all: missing, unreadable, not UTF-8."""


class OptionError(AttnvizError):
    """A bad option value: unknown colormap, negative alpha, a required option missing."""
