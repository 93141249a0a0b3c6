"""Format readers (files → RawDocument) and layout parsers (RawDocument → target rows)."""
