"""Layout parsers: target tables and resolution prose, each knowing nothing of file formats."""
