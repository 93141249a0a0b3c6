"""Dividing a statement: into clauses (';', sentence stops, ', trong đó'), into one group of
words per target (',' and 'và' between two targets), names and values paired by 'lần lượt',
and the bracket after a target (sub-totals, or a restatement, or how it is measured)."""
from __future__ import annotations

from functools import cache

import regex

from ...normalizers import vocabulary
from ...normalizers.targets import Phrase, find_phrases
from ...normalizers.tokens import first_token
from ...normalizers.text import clean_name, clean_text

from .naming import _leading, _strip_openers, _top_level_splits, _words


def _split(text: str, pattern: regex.Pattern) -> list[str]:
    parts, start = [], 0
    for a, b in _top_level_splits(text, pattern):
        parts.append(text[start:a])
        start = b
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip(" .;,")]


@cache
def _clause_stop() -> regex.Pattern:
    """';', a sentence stop, and ', trong đó …'."""
    subs = vocabulary.alternation(vocabulary.load("vocabulary")["clause_sub_markers"]["words"])
    return regex.compile(rf";|\.\s+(?=\p{{Lu}})|,\s*(?=(?:{subs})(?![\p{{L}}]))", regex.IGNORECASE)


@cache
def _segment_stop() -> regex.Pattern:
    """Where a clause may divide between two targets: ',' (not a decimal comma) or a clause joiner."""
    words = vocabulary.load("vocabulary")["clause_joiners"]["words"]
    return regex.compile(rf",(?!\d)\s*|\s+(?:{vocabulary.alternation(words)})\s+")


def split_clauses(text: str) -> list[str]:
    """A statement's clauses: on ';', on a sentence stop, before ', trong đó'.

    >>> split_clauses("Tổng thu ngân sách đạt 8.801 tỷ đồng. Tổng chi ngân sách địa phương đạt 14.456 tỷ đồng.")
    ['Tổng thu ngân sách đạt 8.801 tỷ đồng', 'Tổng chi ngân sách địa phương đạt 14.456 tỷ đồng.']
    """
    return _split(text.strip(), _clause_stop())


def _number_first(group: str) -> bool:
    phrases = find_phrases(group)
    return bool(phrases) and not _strip_openers(group[: phrases[0].start]).strip(" ,:")


def split_targets(clause: str) -> list[str]:
    """One text per target: a clause is cut at ',' and 'và' only where both sides hold a target.

    >>> split_targets("02 huyện đạt chuẩn nông thôn mới và 02 huyện đạt chuẩn nông thôn mới nâng cao")
    ['02 huyện đạt chuẩn nông thôn mới', '02 huyện đạt chuẩn nông thôn mới nâng cao']
    >>> split_targets("Chỉ tiêu tuyển quân đạt 100%, đảm bảo chất lượng giao quân")
    ['Chỉ tiêu tuyển quân đạt 100%, đảm bảo chất lượng giao quân']
    """
    cuts = _top_level_splits(clause, _segment_stop())
    bounds = [0] + [b for _, b in cuts]
    ends = [a for a, _ in cuts] + [len(clause)]
    segments = [(s, e, len(find_phrases(clause[s:e]))) for s, e in zip(bounds, ends)]
    if sum(n for _, _, n in segments) <= 1:
        return [clause.strip()]
    groups: list[list[int]] = []  # [start, end, phrases]
    for k, (s, e, n) in enumerate(segments):
        if not groups:
            groups.append([s, e, n]); continue
        current = groups[-1]
        later = any(m for _, _, m in segments[k + 1:])
        if current[2] == 0 or (n == 0 and not (later and not _number_first(clause[current[0]:current[1]]))):
            current[1], current[2] = e, current[2] + n
        else:
            groups.append([s, e, n])
    return [clause[s:e].strip() for s, e, _ in groups]


@cache
def _respectively() -> regex.Pattern:
    return _words("respectively")


def split_respectively(clause: str) -> list[tuple[str, str]] | None:
    """'A và B (đạt) lần lượt X và Y' → [(A, X), (B, Y)]; None when the clause does not pair
    names and values in order, or their counts differ."""
    m = _respectively().search(clause)
    if not m:
        return None
    names = [n for n in _split(clause[: m.start()], _segment_stop()) if n.strip()]
    values_text = clause[m.end():]
    phrases = find_phrases(values_text)
    if len(names) < 2 or len(phrases) != len(names):
        return None
    names[-1] = clean_name(names[-1])
    return [(clean_name(n), values_text[p.start:p.end]) for n, p in zip(names, phrases)]


_BRACKET = regex.compile(r"^\s*\(([^()]*)\)")


def bracket_after(group: str, phrase: Phrase) -> tuple[str | None, bool]:
    """The bracket right after a target phrase and whether it holds sub-targets
    ('(thu nội địa trên 56.500 tỷ đồng, …)'), not a restatement ('(66/112 thôn)',
    '(còn 0,9%)', '(tăng thêm 20 thôn)')."""
    m = _BRACKET.match(group[phrase.end:])
    if not m or not regex.search(r"[0-9]", m.group(1)) or _is_qualifier(m.group(1)):
        return None, False
    parts = [p for p in _split(m.group(1), _bracket_parts()) if find_phrases(p)]
    named = all(_sub_subject(p) for p in parts)
    return m.group(1), bool(parts) and named


def _is_qualifier(inner: str) -> bool:
    """'(theo chuẩn nghèo đa chiều giai đoạn 2022 - 2025)', '(giá so sánh 2010)': a bracket
    that says how the indicator is measured, with no value of its own."""
    return not find_phrases(inner) and not regex.search(r"[0-9]\s*/\s*[0-9]", inner)


@cache
def _bracket_parts() -> regex.Pattern:
    """Where a bracket of sub-totals divides: ';' as well as ',' and 'và'."""
    return regex.compile(rf";\s*|{_segment_stop().pattern}")


def _sub_subject(part: str) -> str:
    """The words naming a part of a bracket before its number; '' when it opens with a
    number, a direction or a level word (a restatement)."""
    phrase = find_phrases(part)[0]
    head = clean_text(_strip_openers(part[: phrase.start]))
    if not head or _leading("restating_words", repeated=False).match(head) or first_token(head).kind in ("DIR", "LEVEL"):
        return ""
    return clean_name(head)
