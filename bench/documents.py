"""What a synthetic document says, before any format: a target table (rows with merged cells
marked) or a resolution (blocks of prose). The renderers in `bench.render_*` write these
models out; keeping content and format apart is what lets one document exist in every format.

Lengths are asked for in PDF pages. The `*_PER_PAGE` constants are measured from the PDF
renderer (see `tests/bench/test_corpus.py::test_page_budget_is_roughly_kept`), so a document asked
for 20 pages comes out near 20 pages in PDF, and as long in .docx and .txt.
"""
from __future__ import annotations

import itertools
import math
import random
import re
from dataclasses import dataclass, field, replace

from bench import vocabulary as V
from bench.phrases import capitalize, enumeration_value, prose_target, table_target

# PDF capacity of one page, measured: wrapped lines of a table (landscape), characters of prose.
TABLE_LINES_PER_PAGE = 34
PROSE_CHARS_PER_PAGE = 3000
BLOCK_SPACING_CHARS = 60  # what a paragraph's indent and spacing cost, in characters of text
BULLET_CHARS = 160  # a target bullet's mean length
# Characters that fit on one line of each table column in the PDF renderer.
COLUMN_CHARS = (4, 58, 14, 22, 30)
MERGEABLE_COLUMNS = (3, 4)  # target and agency cells may span rows (seed 000)


@dataclass(frozen=True)
class TableRow:
    """Five cells (STT, Chỉ tiêu, ĐVT, target, agency). A `None` cell is covered by the cell
    above it (a vertical merge); a section row has two cells, the title spanning the rest."""

    cells: tuple[str | None, ...]

    @property
    def is_section(self) -> bool:
        return len(self.cells) == 2


@dataclass(frozen=True)
class TableDocument:
    province: str
    year: int
    title: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    layout: str = field(default="table", init=False)

    def merged_runs(self, column: int) -> list[tuple[int, int]]:
        """(first, last) indexes into `rows` of each cell in `column` that spans rows below it."""
        runs, top = [], None
        for r, row in enumerate((*self.rows, None)):
            if row is not None and not row.is_section and row.cells[column] is None:
                continue  # covered: the run goes on
            if top is not None and r - 1 > top:
                runs.append((top, r - 1))
            top = None if row is None or row.is_section else r
        return runs


@dataclass(frozen=True)
class Block:
    """A piece of a resolution: `title` (centred, bold), `heading`, `paragraph` or `bullet`."""

    kind: str
    text: str


@dataclass(frozen=True)
class ResolutionDocument:
    province: str
    year: int
    blocks: tuple[Block, ...]
    recipients: tuple[str, ...]
    signature: tuple[str, ...]
    layout: str = field(default="prose", init=False)

    @property
    def title(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks[:3])


Document = TableDocument | ResolutionDocument


def localize(text: str, province: str) -> str:
    """A centrally-run city says `thành phố` (and `Thành ủy`) where a province says `tỉnh`."""
    if province not in V.CITIES:
        return text
    for province_word, city_word in (("Tỉnh ủy", "Thành ủy"), ("TỈNH ỦY", "THÀNH ỦY"),
                                     ("tỉnh", "thành phố"), ("TỈNH", "THÀNH PHỐ")):
        text = re.sub(rf"\b{province_word}\b", city_word, text)
    return text


# --- target tables ---------------------------------------------------------------------------

def estimated_lines(cells: tuple[str | None, ...]) -> int:
    """How many text lines a row takes in the PDF, from the longest cell."""
    if len(cells) == 2:
        return 1
    return max(math.ceil(len(c or " ") / width) for c, width in zip(cells, COLUMN_CHARS))


def qualify(name: str, qualifier: str) -> str:
    """`Tỷ lệ … đạt` + `tại huyện Châu Thành` → `Tỷ lệ … tại huyện Châu Thành đạt`: the
    qualifier goes before a trailing linking word so the row still reads naturally."""
    match = re.match(r"^(.*?)(\s+(?:đạt|khoảng|giảm|tăng|ở mức))?\s*$", name, re.S)
    return f"{match[1]} {qualifier}{match[2] or ''}"


def draw_qualifier(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"tại huyện {rng.choice(V.DISTRICTS)}"
    return rng.choice(V.AREA_QUALIFIERS)


def entry_rows(rng: random.Random, entry: V.TableEntry, number: int, year: int,
               qualifier: str | None, agency_above: bool) -> list[TableRow]:
    """A numbered row and its sub-rows. `agency_above` says a row above in this section has an
    agency cell this one may merge into (a head row without agency of its own does)."""
    def name_of(indicator: V.Indicator) -> str:
        name = indicator.name.format(year=year, prev=year - 1)
        return qualify(name, qualifier) if qualifier else name

    def target_of(indicator: V.Indicator) -> str:
        return " " if indicator.value is None else table_target(rng, indicator.value, indicator.unit, year)

    head = entry.head
    head_agency = head.agency if head.agency is not None else (None if agency_above else "")
    rows = [TableRow((str(number), name_of(head), head.unit, target_of(head), head_agency))]
    subs = [s for s in entry.subs if rng.random() < 0.8] or list(entry.subs[:1])
    for indicator in subs:
        target = None if entry.merged_target else target_of(indicator)
        agency = (indicator.agency or "") if entry.own_agencies else None
        rows.append(TableRow(("", name_of(indicator), indicator.unit, target, agency)))
    return rows


def section_rows(rng: random.Random, entries: tuple[V.TableEntry, ...], first_number: int,
                 year: int, line_budget: int) -> list[list[TableRow]]:
    """Entries of one section until its share of the page budget is used. The catalogue is
    walked in a shuffled order; once used up it is walked again with a district or area
    qualifier, as long plans break indicators down."""
    groups: list[list[TableRow]] = []
    lines, number, passes = 0, first_number, 0
    while not groups or lines < line_budget:
        order = rng.sample(entries, len(entries)) if passes else list(entries)
        for entry in order:
            if groups and (lines >= line_budget or (passes == 0 and rng.random() < 0.15)):
                continue  # the first pass skips a few entries so documents differ
            qualifier = draw_qualifier(rng) if passes else None
            rows = entry_rows(rng, entry, number, year, qualifier, agency_above=bool(groups))
            groups.append(rows)
            lines += sum(estimated_lines(r.cells) for r in rows)
            number += 1
        passes += 1
    return groups


def make_table_document(rng: random.Random, province: str, year: int, pages: int) -> TableDocument:
    sections = V.TABLE_SECTIONS if pages > 1 else rng.sample(V.TABLE_SECTIONS, rng.choice((2, 3)))
    # Less the title and header, and the entry each section runs over its share by.
    line_budget = max(3, (pages * TABLE_LINES_PER_PAGE - 4) // len(sections) - 4)
    rows: list[TableRow] = []
    number = 1
    for label, (titles, entries) in zip(V.ROMAN, sections):
        groups = section_rows(rng, entries, number, year, line_budget)
        title = f"{rng.choice(titles)} ({len(groups):02d} chỉ tiêu)"
        rows.append(TableRow((label, title)))
        rows.extend(r for g in groups for r in g)
        number += len(groups)
    header = ("STT", "Chỉ tiêu", "ĐVT", f"Chỉ tiêu năm {year}", rng.choice(V.AGENCY_HEADERS))
    title = [f"CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM {year}"]
    if rng.random() < 0.6:
        title.append(f"(Kèm theo Kế hoạch số {rng.randint(10, 399)}/KH-UBND ngày "
                     f"{rng.randint(1, 28):02d}/12/{year - 1} của Ủy ban nhân dân tỉnh {province})")
    return localize_table(TableDocument(province, year, tuple(title), header, tuple(rows)))


def localize_table(doc: TableDocument) -> TableDocument:
    def fix(cells: tuple[str | None, ...]) -> tuple[str | None, ...]:
        return tuple(None if c is None else localize(c, doc.province) for c in cells)

    return replace(doc, title=fix(doc.title), rows=tuple(TableRow(fix(r.cells)) for r in doc.rows))


# --- resolutions -----------------------------------------------------------------------------

def lower_first(text: str) -> str:
    """Lower-case a clause's first letter to join it mid-sentence, but keep `GRDP`."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def clause_text(rng: random.Random, c: V.Clause, year: int) -> str:
    return c.text.format(t=prose_target(rng, c.value, c.unit), year=year, prev=year - 1)


class ClauseDeck:
    """Clauses dealt without repeats until the deck is used up, then reshuffled."""

    def __init__(self, rng: random.Random):
        self.rng, self.cards = rng, []

    def deal(self) -> V.Clause:
        if not self.cards:
            self.cards = self.rng.sample(V.PROSE_CLAUSES, len(V.PROSE_CLAUSES))
        return self.cards.pop()


def make_bullet(rng: random.Random, deck: ClauseDeck, year: int) -> str:
    """A bullet in one of the seed's shapes: one target, several joined by `;`, a target with
    its `trong đó` sub-target, an enumeration, or two sentences."""
    shape = rng.choices(("one", "several", "trong_do", "enumeration", "two"), (50, 20, 15, 10, 5))[0]
    if shape == "enumeration":
        lead, joiner, items = rng.choice(V.ENUMERATIONS)
        parts = [f"{item}{joiner} {enumeration_value(rng, low, high)}" for item, low, high in items]
        last = f" và {parts.pop()}" if rng.random() < 0.5 else ""
        return f"{lead}: {', '.join(parts)}{last}."
    first = deck.deal()
    if shape == "trong_do" and first.sub is not None:
        comma = "," if rng.random() < 0.6 else ""
        return f"{clause_text(rng, first, year)}; trong đó{comma} {clause_text(rng, first.sub, year)}."
    if shape == "several":
        clauses = [first] + [deck.deal() for _ in range(rng.randint(1, 4))]
        return capitalize("; ".join(lower_first(clause_text(rng, c, year)) for c in clauses)) + "."
    if shape == "two":
        return f"{capitalize(clause_text(rng, first, year))}. {capitalize(clause_text(rng, deck.deal(), year))}."
    return capitalize(clause_text(rng, first, year)) + "."


def bullet_block(rng: random.Random, text: str) -> Block:
    return Block("bullet", ("-  " if rng.random() < 0.2 else "- ") + text)


@dataclass(frozen=True)
class Issuer:
    """Who adopts the resolution; the party committee (seed 004) or the people's council."""

    heading: str  # the line under NGHỊ QUYẾT
    deciding: str  # the line above QUYẾT NGHỊ
    body: str  # how sentences name it
    meeting: str
    signature: tuple[str, ...]


def draw_issuer(rng: random.Random, province: str) -> Issuer:
    term = rng.choice(V.TERMS)
    signer = rng.choice(V.SIGNERS)
    if rng.random() < 0.6:
        return Issuer(f"CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH {province.upper()} KHOÁ {term}",
                      "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH", "Ban Chấp hành Đảng bộ tỉnh",
                      f"Hội nghị lần thứ {rng.choice(V.ORDINALS)} Ban Chấp hành Đảng bộ tỉnh khoá {term}",
                      ("T/M TỈNH ỦY", "BÍ THƯ", "", "", signer))
    return Issuer(f"HỘI ĐỒNG NHÂN DÂN TỈNH {province.upper()} KHOÁ {term}",
                  "HỘI ĐỒNG NHÂN DÂN TỈNH", "Hội đồng nhân dân tỉnh",
                  f"Kỳ họp thứ {rng.randint(8, 22)} Hội đồng nhân dân tỉnh khoá {term}",
                  ("T/M HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH", "", "", signer))


def resolution_opening(rng: random.Random, issuer: Issuer, year: int) -> list[Block]:
    date = f"{rng.randint(1, 28):02d}/{rng.choice(('12', '01'))}/{year - 1 if rng.random() < 0.5 else year}"
    subject = rng.choice((f"về thực hiện nhiệm vụ chính trị năm {year}",
                          f"về kế hoạch phát triển kinh tế - xã hội năm {year}"))
    return [
        Block("title", "NGHỊ QUYẾT"),
        Block("title", issuer.heading),
        Block("title", subject),
        Block("title", "-----"),
        Block("paragraph", f"{issuer.meeting} tổ chức ngày {date} đã nghiên cứu, thảo luận thống nhất, đánh "
                           f"giá kết quả thực hiện nhiệm vụ chính trị năm {year - 1}, xác định phương hướng, "
                           f"nhiệm vụ cần tập trung lãnh đạo thực hiện năm {year} và ý kiến đóng góp vào "
                           "các văn bản đã trình ra Hội nghị,"),
        Block("title", issuer.deciding),
        Block("title", "QUYẾT NGHỊ"),
        Block("paragraph", f"1. Thông qua Báo cáo tình hình thực hiện nhiệm vụ chính trị năm {year - 1} và "
                           f"những nhiệm vụ trọng tâm năm {year} của {issuer.body}."),
        Block("paragraph", f"2. Thống nhất thông qua các chỉ tiêu chủ yếu năm {year} như sau:"),
    ]


def chars(blocks: list[Block]) -> int:
    """Page space the blocks take, in characters of running text."""
    return sum(len(b.text) + BLOCK_SPACING_CHARS for b in blocks)


def narrative_paragraph(rng: random.Random) -> str:
    return " ".join(rng.sample(V.NARRATIVE, rng.randint(2, 5)))


def task_blocks(rng: random.Random, deck: ClauseDeck, year: int, budget: int) -> list[Block]:
    """`3. Nhiệm vụ, giải pháp chủ yếu`: numbered headings over narrative paragraphs, with a
    target bullet now and then, until `budget` characters are written."""
    blocks = [Block("paragraph", "3. Nhiệm vụ, giải pháp chủ yếu:")]
    used = 0
    for n in itertools.count(1):
        blocks.append(Block("heading", f"3.{n}. {V.TASK_HEADINGS[(n - 1) % len(V.TASK_HEADINGS)]}"))
        for _ in range(rng.randint(1, 3)):
            if used >= budget:
                return blocks
            added = [Block("paragraph", narrative_paragraph(rng))]
            if rng.random() < 0.2:
                added.insert(0, bullet_block(rng, make_bullet(rng, deck, year)))
            blocks += added
            used += chars(added)
    return blocks


def resolution_closing(issuer: Issuer, year: int) -> list[Block]:
    return [
        Block("paragraph", f"4. {issuer.body} giao các cơ quan có liên quan nghiên cứu ý kiến đóng góp để "
                           "hoàn chỉnh và ban hành các văn bản đã được trình ra hội nghị; lãnh đạo, chỉ đạo "
                           "tổ chức triển khai và thường xuyên kiểm tra, giám sát để đảm bảo thực hiện có "
                           f"hiệu quả những nhiệm vụ trọng tâm năm {year} và các chỉ tiêu đã đề ra trong "
                           "Nghị quyết."),
        Block("paragraph", "Trong quá trình thực hiện Nghị quyết phải thường xuyên theo dõi, kiểm tra; hàng "
                           "tháng, quí, 6 tháng và cuối năm tổ chức sơ kết, tổng kết báo cáo Ban Thường vụ "
                           f"Tỉnh ủy và {issuer.body}."),
    ]


def make_resolution_document(rng: random.Random, province: str, year: int, pages: int) -> ResolutionDocument:
    budget = pages * PROSE_CHARS_PER_PAGE
    deck = ClauseDeck(rng)
    issuer = draw_issuer(rng, province)
    blocks = resolution_opening(rng, issuer, year)
    closing = resolution_closing(issuer, year) if pages > 1 else []  # a one-pager keeps only the targets
    recipients = V.RECIPIENTS if pages > 1 else V.RECIPIENTS[:3] + V.RECIPIENTS[-1:]
    frame = chars(blocks + closing) + 80 * len(recipients)  # a recipient line takes a line of text
    n_bullets = max(3, min(30, (budget - frame) // BULLET_CHARS))
    blocks += [bullet_block(rng, make_bullet(rng, deck, year)) for _ in range(n_bullets)]
    used = frame + n_bullets * BULLET_CHARS
    if budget - used > 600:  # room for at least a heading and a paragraph
        blocks += task_blocks(rng, deck, year, budget - used)
    blocks = [Block(b.kind, localize(b.text, province)) for b in blocks + closing]
    signature = tuple(localize(line, province) for line in issuer.signature)
    return ResolutionDocument(province, year, tuple(blocks), recipients, signature)
