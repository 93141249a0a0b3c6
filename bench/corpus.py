"""A seeded synthetic corpus for the benchmark: N documents in the shapes of the seeds, as
.pdf, .docx and .txt. No downloads; the same seed gives byte-identical files.

    >>> paths = generate_corpus(tmp_dir, 200, seed=0)          # doctest: +SKIP

Document i is drawn from its own random stream (`seed:i`), so the first 100 documents of a
1,000-document corpus are the 100-document corpus. Formats and layouts go round-robin
(document i is `FORMATS[i % 3]`, `LAYOUTS[(i // 3) % 2]`), so any 6 consecutive documents hold
every combination; provinces, years, lengths and wording are drawn.
"""
from __future__ import annotations

import random
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench import vocabulary as V
from bench.documents import Document, make_resolution_document, make_table_document
from bench.render_docx import to_docx
from bench.render_pdf import to_pdf
from bench.render_txt import to_txt

FORMATS = ("pdf", "docx", "txt")
LAYOUTS = ("table", "prose")


@dataclass(frozen=True)
class CorpusMix:
    """How long documents are: (PDF pages asked for, weight) pairs."""

    name: str
    pages: tuple[tuple[int, float], ...]

    def mean_pages(self) -> float:
        return sum(p * w for p, w in self.pages) / sum(w for _, w in self.pages)

    def describe(self) -> str:
        low, high = min(p for p, _ in self.pages), max(p for p, _ in self.pages)
        return f"{self.name} mix: {low}-{high} pages, mean {self.mean_pages():.1f}"


# Most plans are a few pages; a tail of long ones (annex tables, full resolutions) up to 20.
REALISTIC = CorpusMix("realistic", ((1, 4), (2, 4), (3, 3), (4, 2), (5, 2), (6, 1), (8, 1), (10, 1),
                                    (12, 0.5), (15, 0.5), (20, 0.5)))
# For the scaling run: many documents cheaply, so a 1,000-document run stays short.
SMALL = CorpusMix("small", ((1, 3), (2, 1)))
MIXES = {mix.name: mix for mix in (REALISTIC, SMALL)}


@dataclass(frozen=True)
class DocumentSpec:
    index: int
    layout: str
    format: str
    province: str
    year: int
    pages: int

    @property
    def filename(self) -> str:
        return f"{self.index:04d}_{self.layout}_{slug(self.province)}_{self.year}.{self.format}"


def slug(text: str) -> str:
    """`Bà Rịa - Vũng Tàu` → `ba-ria-vung-tau`: file names stay ASCII."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def document_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"chitieu-bench:{seed}:{index}")


def draw_spec(rng: random.Random, index: int, mix: CorpusMix) -> DocumentSpec:
    pages, weights = zip(*mix.pages)
    return DocumentSpec(index=index, layout=LAYOUTS[(index // len(FORMATS)) % len(LAYOUTS)],
                        format=FORMATS[index % len(FORMATS)], province=rng.choice(V.PROVINCES),
                        year=rng.choice(V.YEARS), pages=rng.choices(pages, weights)[0])


def build_document(rng: random.Random, spec: DocumentSpec) -> Document:
    make = make_table_document if spec.layout == "table" else make_resolution_document
    return make(rng, spec.province, spec.year, spec.pages)


def render(rng: random.Random, doc: Document, fmt: str) -> bytes:
    if fmt == "pdf":
        return to_pdf(doc)
    if fmt == "docx":
        return to_docx(doc)
    return to_txt(doc, rng)


def generate_document(seed: int, index: int, mix: CorpusMix = REALISTIC) -> tuple[DocumentSpec, bytes]:
    rng = document_rng(seed, index)
    spec = draw_spec(rng, index, mix)
    return spec, render(rng, build_document(rng, spec), spec.format)


def generate_corpus(out_dir: str | Path, n_docs: int, seed: int = 0, mix: CorpusMix = REALISTIC,
                    jobs: int = 1) -> list[Path]:
    """Write `n_docs` documents into `out_dir` (created if missing) and return their paths.
    With `jobs` > 1 they are made in that many processes (each document is drawn from its own
    stream, so the files are the same): 10,000 documents take minutes on one core."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if jobs <= 1:
        return [_write_document(out, seed, index, mix) for index in range(n_docs)]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_write_document, [out] * n_docs, [seed] * n_docs, range(n_docs), [mix] * n_docs,
                             chunksize=64))


def _write_document(out: Path, seed: int, index: int, mix: CorpusMix) -> Path:
    spec, data = generate_document(seed, index, mix)
    path = out / spec.filename
    path.write_bytes(data)
    return path
