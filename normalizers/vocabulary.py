"""Loads the word tables (vocabulary.toml, units.toml) once, and builds matchers from them."""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import regex


@cache
def load(name: str) -> dict:
    """The parsed TOML table `name` ("vocabulary" or "units") shipped beside this module."""
    with resources.files(__package__).joinpath(f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def spellings(table: dict) -> dict[str, str]:
    """Flatten {meaning: [spelling, …]} into {spelling: meaning}."""
    return {s: meaning for meaning, words in table.items() for s in words}


def alternation(words) -> str:
    """A regex alternation of `words`, longest first so "không quá" wins over "không"."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def word_pattern(words) -> regex.Pattern:
    """Matches any of `words` as whole words (Vietnamese syllables are space-separated)."""
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alternation(words)})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)


@cache
def table_words(table: str, key: str = "words") -> regex.Pattern:
    """The whole-word pattern of one word table of vocabulary.toml: the one matcher layouts use."""
    return word_pattern(load("vocabulary")[table][key])
