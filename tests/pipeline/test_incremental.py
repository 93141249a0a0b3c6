"""Issue 24, flat and incremental: a re-run after one document changed encodes only that
document's share of the outputs (the others' are kept as fragments beside the cache) and
writes the same bytes as a first run into an empty folder; the linker keeps its records on
disk, not in memory."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import chitieu.pipeline.link_spill
from chitieu.pipeline.fragments import FOLDER as FRAGMENTS
from chitieu.pipeline.linking import BatchLinks, _Bucket
from chitieu.pipeline.outputs import OUTPUT_NAMES, RunOutputs
from chitieu.pipeline.report import FILES_DIR
from chitieu.pipeline.run import Settings, run_extract
from conftest import ROOT

SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "raw"
CORPUS = SHARED_CORPUS if SHARED_CORPUS.is_dir() else ROOT / "tests" / "corpus" / "raw"
# the corpus's documents that read quickly (no PDF), plans and the reports that score them
QUICK = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".docx", ".md")) if CORPUS.is_dir() else []
CHANGED = "d05_binh_dinh_2024_nq_tinh_uy.txt"

pytestmark = pytest.mark.skipif(not QUICK, reason="the corpus is not here")


def every_output(out: Path) -> dict[str, bytes]:
    files = {name: (out / name).read_bytes() for name in OUTPUT_NAMES}
    files |= {f"{FILES_DIR}/{p.name}": p.read_bytes() for p in (out / FILES_DIR).iterdir()}
    return files


def run(raw: Path, out: Path):
    return run_extract(Settings(raw, out, jobs=1, isolate=False))


@pytest.fixture
def encoded(monkeypatch) -> list[str]:
    """The sources whose share of the outputs a run encodes (the others come from fragments)."""
    sources = []
    real = RunOutputs.encode

    def counting(outputs, result):
        sources.append(result.document["source"])
        return real(outputs, result)

    monkeypatch.setattr(RunOutputs, "encode", counting)
    return sources


@pytest.fixture
def batch(tmp_path) -> tuple[Path, Path]:
    """A first run over the quick part of the corpus: (raw, out)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in QUICK:
        shutil.copyfile(path, raw / path.name)
    run(raw, tmp_path / "out")
    return raw, tmp_path / "out"


def change(raw: Path) -> None:
    with open(raw / CHANGED, "a", encoding="utf-8") as f:
        f.write("\nChỉ tiêu bổ sung: Tỷ lệ hộ nghèo giảm 1,5%.\n")


def test_one_changed_document_is_encoded_alone_and_the_outputs_are_a_first_runs(batch, tmp_path, encoded,
                                                                                  monkeypatch):
    raw, out = batch
    change(raw)
    passes = []
    real = _Bucket.second_pass
    monkeypatch.setattr(_Bucket, "second_pass", lambda bucket: passes.append(bucket) or real(bucket))
    summary = run(raw, out)
    assert encoded == [CHANGED]
    assert len(passes) == 1  # the bucket of the changed document's jurisdiction; the others' are kept
    assert summary.from_cache == len(QUICK) - 1
    fresh = tmp_path / "fresh"
    run(raw, fresh)
    assert every_output(out) == every_output(fresh)
    scorecard = (out / "scorecard.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(scorecard) > 10  # reports score plans here: the linker's records came from fragments


def test_a_torn_fragment_is_made_again(batch, tmp_path, encoded):
    raw, out = batch
    fragments = sorted((out / ".cache" / FRAGMENTS).rglob("*.bin"))
    assert len(fragments) == len(QUICK)
    # another document's: fragments are named by hashes, so the first may be the changed one's
    torn = next(f for f in fragments if CHANGED.encode() not in f.read_bytes())
    torn.write_bytes(torn.read_bytes()[: torn.stat().st_size // 2])
    change(raw)
    run(raw, out)
    assert len(encoded) == 2 and CHANGED in encoded
    fresh = tmp_path / "fresh"
    run(raw, fresh)
    assert every_output(out) == every_output(fresh)


def test_a_new_correction_encodes_the_document_it_names_again(batch, tmp_path, encoded):
    raw, out = batch
    row = next(t for t in pq.read_table(out / "targets.parquet").to_pylist() if t["source"] == CHANGED)
    (raw / "corrections.csv").write_text("source,seq,name,field,value,note\n"
                                         f"{CHANGED},{row['seq']},\"{row['name']}\",status,ok,checked\n", encoding="utf-8")
    summary = run(raw, out)
    assert summary.corrections_applied == 1
    assert encoded == [CHANGED]
    fresh = tmp_path / "fresh"
    run(raw, fresh)
    assert every_output(out) == every_output(fresh)


# ---------------------------------------------------------------------------- the linker's memory


def _document(i: int, jurisdiction: str) -> tuple[dict, list[dict]]:
    document = {"status": "ok", "doc_id": f"{i:012x}", "source": f"d{i:04d}.txt", "jurisdiction": jurisdiction,
                "date": None, "year": 2025}
    targets = [{"seq": s, "name": f"Chỉ tiêu số {s}", "parent_seq": None, "unit": "%", "year": 2025,
                "target_type": "numeric", "value_low": float(s), "value_high": float(s), "low_inclusive": True,
                "high_inclusive": True, "comparator": "=", "approximate": False, "measure": "level",
                "direction": None, "reference_year": None, "notes": None, "target_text": f"{s}%"}
               for s in range(1, 51)]
    return document, targets


def test_the_linker_holds_a_bounded_number_of_records_however_many_it_links(monkeypatch):
    monkeypatch.setattr(chitieu.pipeline.link_spill, "FLUSH_ROWS", 200)
    links = BatchLinks()
    for i in range(40):  # 2,000 targets in 8 jurisdictions
        document, targets = _document(i, f"tỉnh {i % 8}")
        links.link(document, targets, [])
        assert links.spill.held < 200
    assert links.spill.records == 2000
    indicators = links.indicator_rows()
    assert len(indicators) == 8 * 50
    assert {r["documents"] for r in indicators} == {5}


def test_the_second_pass_gives_the_same_rows_whatever_was_held_in_memory(monkeypatch):
    def rows(held: int):
        monkeypatch.setattr(chitieu.pipeline.link_spill, "FLUSH_ROWS", held)
        monkeypatch.setattr(chitieu.pipeline.link_spill, "BATCH_ROWS", held)
        links = BatchLinks()
        for i in range(12):
            document, targets = _document(i, f"xã {i % 5}")
            links.link(document, targets[: 10 + i], [])
        return links.indicator_rows()

    assert rows(7) == rows(100_000)


def test_the_second_pass_keeps_one_target_per_indicator_and_year_not_every_record(monkeypatch):
    monkeypatch.setattr(chitieu.pipeline.link_spill, "BATCH_ROWS", 100)
    links = BatchLinks()
    for i in range(40):  # one province's 40 plans for the same year: 2,000 targets of 50 indicators
        document, targets = _document(i, "tỉnh Một")
        links.link(document, targets, [])
    buckets = [_Bucket(records) for _, records in links.spill.buckets()]  # read while its file is open
    assert len(buckets) == 1  # one jurisdiction, one bucket
    bucket = buckets[0]
    assert len(bucket.indicators) == len(bucket.targets) == 50
    assert len(bucket.documents) == 40
    assert not bucket.reported and not bucket.quoted
