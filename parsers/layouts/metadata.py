"""What a document says about itself in its header: title, kind, number, date, issuer,
jurisdiction, period and plan year (SPEC §2 documents columns).

The header is the first lines of the body and the cells of a table that lays out the
national motto beside the issuer (Word documents often do). Province names come from
`vietnamadminunits`, which holds both the 63 provinces before the 2025 merger and the 34
after, so documents of any year are named; usual spellings that differ from its short
names are data in vocabulary.toml.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
import importlib.util
from pathlib import Path

import regex

from ...normalizers import vocabulary
from ...normalizers.text import clean_text

from ..model import Line, Table

_HEADER_LINES = 24
_PAGE_LINES = 5  # lines a portal prints above a document's letterhead
_YEAR = regex.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_PERIOD = regex.compile(r"(?<!\d)(20\d\d)\s*[-–—]\s*(20\d\d)(?!\d)")
_NUMBER_BODY = r"(\d{1,5}(?:/\d{4})?[/-][\p{Lu}Đ][\p{L}\d]*(?:[/-][\p{Lu}Đ\d][\p{L}\d]*)*)"


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    kind: str | None = None
    doc_number: str | None = None
    date: str | None = None
    issuer: str | None = None
    jurisdiction: str | None = None
    period: str | None = None
    year: int | None = None


@cache
def _date() -> regex.Pattern:
    """'ngày 12 tháng 12 năm 2024', 'ngày 12/12/2024'."""
    w = {k: vocabulary.alternation(v) for k, v in vocabulary.load("vocabulary")["date_words"].items()}
    return regex.compile(rf"(?:{w['day']})\s+(\d{{1,2}})\s*(?:/|-|{w['month']})\s*(\d{{1,2}})\s*(?:/|-|{w['year']})\s*(\d{{4}})",
                         regex.IGNORECASE)


@cache
def _vocab(table: str) -> dict:
    return vocabulary.load("vocabulary")[table]


@cache
def _provinces() -> tuple[regex.Pattern, dict[str, tuple[str, str]]]:
    """A pattern of every province name, and name → (usual spelling, full name)."""
    names: dict[str, tuple[str, str]] = {}
    # The package's data files, found without importing the package (its import loads far
    # more than the province names: most of a second per process).
    spec = importlib.util.find_spec("vietnamadminunits")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    for part in ("parser_legacy.json", "parser_from_2025.json"):
        for entry in _province_dict(folder / part).values():
            short = entry["provinceShort"]
            names.setdefault(short.lower(), (short, entry["province"]))
    for spelling, words in _vocab("jurisdiction_spellings").items():
        for w in words:
            full = names.get(w, (spelling, spelling))[1]
            names[w] = (spelling, full)
    for key, (short, full) in list(names.items()):
        for spelling, words in _vocab("jurisdiction_spellings").items():
            if key in words:
                names[key] = (spelling, full)
    pattern = regex.compile(rf"(?<![\p{{L}}])(?:{vocabulary.alternation(names)})(?![\p{{L}}])", regex.IGNORECASE)
    return pattern, names


@cache
def _districts() -> dict[str, str]:
    """'huyện đức trọng' → 'Lâm Đồng': each district and provincial city before the 2025
    merger, with its province (vietnamadminunits' legacy data, read when a district asks)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "parser_legacy.json"
    data = json.loads(path.read_text("utf-8"))
    provinces = data["DICT_PROVINCE"]
    out: dict[str, str] = {}
    for key, districts in data["DICT_PROVINCE_DISTRICT"].items():
        short = provinces[key]["provinceShort"]
        for entry in districts.values():
            out.setdefault(entry["district"].lower(), short)
    return out


@cache
def _communes() -> dict[str, set[str]]:
    """'xã hoằng tiến' → the provinces that have a commune or ward of that name, after the 2025
    merger and before it (vietnamadminunits' data, read when a commune asks)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    out: dict[str, set[str]] = {}
    new = json.loads((folder / "parser_from_2025.json").read_text("utf-8"))
    for key, wards in new["DICT_PROVINCE_WARD_NO_ACCENTED"].items():
        for entry in wards.values():
            out.setdefault(entry["ward"].lower(), set()).add(new["DICT_PROVINCE"][key]["provinceShort"])
    return out


def _commune_province(level: str, name: str) -> str | None:
    """The province of a commune whose name only one province has."""
    provinces = _communes().get(f"{level} {name}".lower(), set())
    if len(provinces) != 1:
        return None
    _, names = _provinces()
    province = next(iter(provinces))
    return names.get(province.lower(), (province, province))[0]


def _district_province(level: str, name: str) -> str | None:
    province = _districts().get(f"{level} {name}".lower())
    if province is None:
        return None
    _, names = _provinces()
    return names.get(province.lower(), (province, province))[0]


def _province_dict(path: Path) -> dict:
    """The file's DICT_PROVINCE object, decoded on its own: the file is megabytes of wards and
    districts around a few kilobytes of provinces."""
    text = path.read_text("utf-8")
    at = text.find('"DICT_PROVINCE"')
    if at < 0:
        return json.loads(text)["DICT_PROVINCE"]
    start = text.index("{", text.index(":", at))
    return json.JSONDecoder().raw_decode(text, start)[0]


def _header_texts(lines: tuple[Line, ...], tables: tuple[Table, ...]) -> list[str]:
    texts = []
    for table in tables:
        # a header laid out as a table: issuer | motto, a rule row, number | place and date
        # (below a web page's own lines when it is one: a date bar, the page title)
        if table.after_line <= _PAGE_LINES and len(table.rows) <= 6 and all(len(row.cells) <= 3 for row in table.rows):
            for row in table.rows:
                texts.extend(clean_text(c.text) for c in row.cells if clean_text(c.text))
        elif table.after_line == 0:  # a sheet's title rows above its header: a text or two a row
            for row in table.rows:
                filled = list(dict.fromkeys(t for c in row.cells if (t := clean_text(c.text))))
                if not filled or len(filled) > 2:
                    break
                texts.extend(filled)
    texts.extend(clean_text(l.full_text) for l in lines[:_HEADER_LINES])
    return texts


def _match_table(table: str, text: str) -> str | None:
    for meaning, pattern in _meaning_patterns(table):
        if pattern.search(text):
            return meaning
    return None


@cache
def _meaning_patterns(table: str) -> tuple[tuple[str, regex.Pattern], ...]:
    return tuple((meaning, vocabulary.word_pattern(words)) for meaning, words in _vocab(table).items())


def read_metadata(lines: tuple[Line, ...], tables: tuple[Table, ...] = ()) -> Metadata:
    texts = _header_texts(lines, tables)
    head = " \n ".join(texts)
    kinds = _vocab("document_kinds")
    title, kind = _title(texts, kinds)
    number = _doc_number(head)
    if kind is None and number:
        code = regex.search(r"[/-]([\p{Lu}Đ][\p{L}]*)", number)
        kind = next((k for k, words in kinds.items() if code and code.group(1) in words), None)
    subject = vocabulary.word_pattern(_vocab("letter_subject")["words"])
    if kind is None and any(subject.match(t) for t in texts[:12]):
        kind = "công văn"  # a letter: 'Số: 215/UBND-KT' over 'V/v triển khai …'
        title = title or next(t for t in texts[:12] if subject.match(t))
    d = _date().search(head)
    date = f"{int(d.group(3)):04d}-{int(d.group(2)):02d}-{int(d.group(1)):02d}" if d else None
    issuer, jurisdiction = _issuer(texts)
    period = year = None
    if title:
        period = period_named(title)
        if period is None and (years := _YEAR.findall(_until().sub(" ", _date().sub(" ", title)))):
            year = int(years[-1])
    return Metadata(title, kind, number, date, issuer, jurisdiction, period, year)


@cache
def _until() -> regex.Pattern:
    """'đến năm 2030', 'tầm nhìn đến năm 2045': a horizon, not the year a plan is for."""
    words = vocabulary.alternation(_vocab("horizons")["until"])
    return regex.compile(rf"(?<![\p{{L}}])(?:{words})\s+(?:19|20)\d\d(?!\d)", regex.IGNORECASE)


def period_named(text: str) -> str | None:
    """'2026-2030' when the text names a plan period ('giai đoạn 2026 - 2030', '5 năm 2026-2030')."""
    p = _PERIOD.search(text)
    if p and vocabulary.word_pattern(_vocab("period_words")["words"]).search(text):
        return f"{p.group(1)}-{p.group(2)}"
    return None


def _title(texts: list[str], kinds: dict) -> tuple[str | None, str | None]:
    """The title: the line that is only a kind word ('NGHỊ QUYẾT') and the lines under it
    up to the issuer restated or the first line of the body."""
    for i, text in enumerate(texts):
        for kind, words in kinds.items():
            if any(text.lower() == w.lower() for w in words if len(w) > 4):
                rest = []
                for t in texts[i + 1:i + 4]:
                    if not t or t.isupper() and rest or t.lower().startswith(("căn cứ", "thực hiện", "số")):
                        break
                    rest.append(t)
                    following = texts[texts.index(t) + 1] if texts.index(t) + 1 < len(texts) else ""
                    if not t.isupper() and not t.rstrip().endswith(("-", "–", "—", ",")) \
                            and not following[:1].islower() and not following[:1].isdigit():
                        break  # a title cut mid-phrase ('giai đoạn 2026 -' / '2030', '… nông' / 'thôn mới') goes on
                return " ".join([text, *rest]), kind
    return None, None


def _doc_number(head: str) -> str | None:
    words = vocabulary.alternation(_vocab("document_number")["words"])
    m = regex.search(rf"(?<![\p{{L}}])(?:{words})\s*:?\s*{_NUMBER_BODY}", head, regex.IGNORECASE)
    return m.group(1) if m else None


def _issuer(texts: list[str]) -> tuple[str | None, str | None]:
    """(issuer as printed, jurisdiction) from the header: the body ('HỘI ĐỒNG NHÂN DÂN') and
    the province it belongs to, wherever the header's two columns put them."""
    pattern, names = _provinces()
    head = texts[:12]
    agency = _agency(head)
    if agency:
        meaning, printed = agency
        if meaning == "ministry":
            return printed, "Việt Nam"
        place = next((m for t in texts if (m := pattern.search(t))), None)
        return printed, names[place.group().lower()][0] if place else None
    found = [m for t in head if (m := _match_table("issuers", t))]
    if not found:
        return None, None
    # the first body the letterhead names; a Party committee over the congress of its Party
    # organisation ('ĐẢNG BỘ TỈNH …' above 'TỈNH ỦY')
    meaning = next((m for m in found if m != "party_congress"), found[0])
    if meaning == "national":
        words = _vocab("issuers")["national"]
        found = next((regex.search(rf"(?:{vocabulary.alternation(words)})", t, regex.IGNORECASE) for t in texts[:12]
                      if regex.search(rf"(?:{vocabulary.alternation(words)})", t, regex.IGNORECASE)), None)
        return (found.group().upper() if found else None), "Việt Nam"
    body_words = _vocab("issuers")[meaning]
    printed = next((w for t in texts[:12] for w in sorted(body_words, key=len, reverse=True)
                    if w in t.lower()), body_words[0])
    local = _local_unit(head, names)
    if local:  # a district or a city under the province: 'HỘI ĐỒNG NHÂN DÂN HUYỆN QUỲNH LƯU'
        level, name = local
        # SPEC §2: the jurisdiction is the province; the one the letterhead names, else the
        # one the district belongs to, else the one the text names
        place = next((m for t in head if (m := pattern.search(t)) and not _is_place_date(t, m)), None)
        province = names[place.group().lower()][0] if place else _district_province(level, name)
        if province is None:
            joined = " ".join(t for t in texts if not _date().search(t))
            place = pattern.search(joined)
            province = names[place.group().lower()][0] if place else None
        return f"{printed.upper()} {level.upper()} {name.upper()}", province
    commune = _local_unit([t for t in _letterhead(head) if _opens_on_commune(t)], names, "commune_units")
    if commune:  # 'HỘI ĐỒNG NHÂN DÂN XÃ AN HIỆP': of the province the text names, if it does
        level, name = commune
        # the province may be named in the body, across a line's end; not the place of the date
        joined = " ".join(t for t in texts if not _date().search(t))
        place = pattern.search(joined)
        province = names[place.group().lower()][0] if place else _commune_province(level, name)
        return f"{printed.upper()} {level.upper()} {name.upper()}", province
    place = next((m for t in texts[:12] if (m := pattern.search(t)) and not _is_place_date(t, m)), None)
    place = place or next((m for t in texts if (m := pattern.search(t))), None)
    if place is None:
        return None, None
    spelling, full = names[place.group().lower()]
    if meaning == "party":
        level = "THÀNH ỦY" if "thành" in printed else "TỈNH ỦY"
        return f"{level} {spelling.upper()}", spelling
    if meaning == "party_congress":
        return f"{printed.upper()} {spelling.upper()}", spelling
    return f"{printed.upper()} {full.upper()}", spelling


def _agency(head: list[str]) -> tuple[str, str] | None:
    """('ministry', 'BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG') or ('department', 'SỞ Y TẾ'): a letterhead
    body that begins a line of the header in capitals, with the lines that run it on."""
    left = _left_column(head)
    for meaning, opener in _agency_openers():
        for k, line in enumerate(left):
            if opener.match(line) and line.isupper():
                name = [line]
                for more in left[k + 1:]:  # 'VÀ MÔI TRƯỜNG', 'TRƯỜNG': the name goes on
                    if not more.isupper() or _match_table("issuers", more) or more[:1].isdigit() \
                            or len(more.split()) > 4:
                        break
                    name.append(more)
                return meaning, " ".join(name)
    return None


@cache
def _agency_openers() -> tuple[tuple[str, regex.Pattern], ...]:
    return tuple((meaning, regex.compile(rf"^(?:{vocabulary.alternation([w.upper() for w in words])})\s+\p{{Lu}}"))
                 for meaning, words in _vocab("agency_letterheads").items())


def _left_column(head: list[str]) -> list[str]:
    """The header's texts without the motto column ('CỘNG HÒA XÃ HỘI …', 'Độc lập - …') and
    its rules: what the issuer's column says, line by line."""
    motto = vocabulary.alternation(_vocab("letterhead_motto")["words"])
    left = (regex.split(rf"\s*(?i:{motto}).*$", t)[0].strip(" -") for t in head)
    return [t for t in left if t]


def _opens_on_commune(text: str) -> bool:
    """'XÃ AN HIỆP', 'HỘI ĐỒNG NHÂN DÂN PHƯỜNG TÂN MỸ': a letterhead line that names the commune
    first or right after its body; not a title's '… KINH TẾ - XÃ HỘI NĂM 2026'."""
    return bool(_commune_opening().match(text))


@cache
def _commune_opening() -> regex.Pattern:
    bodies = vocabulary.alternation([w for words in _vocab("issuers").values() for w in words])
    units = vocabulary.alternation(_vocab("commune_units")["words"])
    return regex.compile(rf"^(?:(?:{bodies})\s+)?(?:{units})\s", regex.IGNORECASE)


def _letterhead(head: list[str]) -> list[str]:
    """The issuer's column above the document number ('Số: …'), not a title ('… XÃ HỘI NĂM 2025')."""
    left = _left_column(head)
    end = next((k for k, t in enumerate(left) if _doc_number(t)), min(len(left), 4))
    return left[:end]


def _local_unit(texts: list[str], provinces: dict, table: str = "local_units") -> tuple[str, str] | None:
    """('huyện', 'QUỲNH LƯU') when the issuer is below the province; None otherwise."""
    levels = vocabulary.alternation(_vocab(table)["words"])
    for text in texts:
        # the level in any case, the name in capitals as letterheads print it
        m = regex.search(rf"(?<![\p{{L}}])((?i:{levels}))\s+(\p{{Lu}}[\p{{Lu}}\p{{M}}]*(?:\s+\p{{Lu}}[\p{{Lu}}\p{{M}}]*(?![\p{{Ll}}])){{0,3}})(?![\p{{Ll}}])",
                         text)
        if m and m.group(2).lower() not in provinces and not _is_place_date(text, m) and m.group(2).isupper():
            motto = vocabulary.alternation(_vocab("letterhead_motto")["words"])
            name = regex.split(rf"\s{{2,}}|\s+(?=(?i:{motto}))", m.group(2))[0]
            if name.lower() not in provinces:
                return m.group(1), name
    return None


def _is_place_date(text: str, m: regex.Match) -> bool:
    """'Quy Nhơn, ngày 12 tháng 12 năm 2023': the town where it was signed, not the issuer."""
    return bool(_date().search(text[m.end():]))


def bare_table_kind() -> str:
    """The kind of a document that is a target table and nothing else."""
    return _vocab("bare_table")["kind"]
