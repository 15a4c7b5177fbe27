"""One fragment writer per output format."""
