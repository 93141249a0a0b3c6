"""Issue 4, batch robustness: a real batch with bad files in it, interrupted runs, the cache
and parallel reading. Every bad file is made for real (tests/badfiles.py) and the batch is
read by the real `chitieu extract` command in a separate process."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import badfiles
import chitieu.pipeline.run
import chitieu.pipeline.writers
from chitieu import pipeline
from conftest import FORMS, PROSE_SEED, RAW, ROOT, TABLE_SEED
from goldcheck import gold_mismatches, read_gold
from chitieu.pipeline.datapackage import validate_package
from chitieu.pipeline.run import Settings, run_extract

SEEDS = [f"{stem}.{form}" for stem in (TABLE_SEED, PROSE_SEED) for form in FORMS]
OUTPUTS = ("targets.csv", "targets.parquet", "documents.csv", "documents.parquet", "datapackage.json", "report.html")
GOLD_TARGETS = 3 * (len(read_gold(TABLE_SEED)) + len(read_gold(PROSE_SEED)))

# name in raw/ → (how to make it, expected status, words its error sentence must hold)
BAD_FILES = {
    "empty.pdf": (badfiles.empty, "failed", ["empty", "copy it again"]),
    "half.docx": (lambda p: badfiles.truncated(RAW / f"{TABLE_SEED}.docx", p, 0.5), "failed",
                  ["damaged or truncated", "complete copy"]),
    "cut.pdf": (lambda p: badfiles.truncated(RAW / f"{PROSE_SEED}.pdf", p, 0.4), "failed",
                ["damaged or truncated", "complete copy"]),
    "locked.pdf": (badfiles.encrypted_pdf, "failed", ["password", "unprotected copy"]),
    "scan.pdf": (badfiles.image_only_pdf, "failed", ["no text layer", "OCR found no text"]),
    "notes.docx": (badfiles.zip_renamed_docx, "failed", ["not a Word document", "right extension"]),
    "plan.xlsx": (badfiles.spreadsheet_xlsx, "failed", ["no target table", "check that this is a planning document"]),
    "plan.ods": (badfiles.spreadsheet_xlsx, "skipped", ["not read yet", "convert it"]),
    "meeting.docx": (badfiles.docx_without_targets, "failed",
                     ["no target table", "no target list", "check that this is a planning document"]),
}


def chitieu(*args, check_traceback: bool = True, cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    """The command as a user runs it, in a process of its own (`cwd`: of the code there)."""
    proc = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300, **kwargs)
    if check_traceback:
        assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def seeds_into(folder: Path, names=SEEDS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(RAW / name, folder / name)


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def documents(out: Path) -> dict[str, dict]:
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        return {row["source"]: row for row in csv.DictReader(f)}


def targets_of(out: Path, source: str) -> list[dict]:
    return [t for t in pq.read_table(out / "targets.parquet").to_pylist() if t["source"] == source]


def leftovers(out: Path) -> list[Path]:
    """Temporary files a write left behind (there must be none)."""
    return sorted(p for p in out.rglob("*") if p.name.endswith(".tmp"))


# ---------------------------------------------------------------------------- a messy batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    raw, out = base / "raw", base / "extracted"
    seeds_into(raw / "seeds")
    for name, (make, _, _) in BAD_FILES.items():
        make(raw / name)
    proc = chitieu("extract", raw, out, "--jobs", "2", check_traceback=False)
    return raw, out, proc


def test_a_batch_with_bad_files_finishes_with_status_1_and_no_traceback(batch):
    _, out, proc = batch
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert all((out / name).is_file() for name in OUTPUTS)


@pytest.mark.parametrize("name", SEEDS)
def test_good_files_in_a_bad_batch_still_match_the_gold(batch, name):
    _, out, _ = batch
    source = f"seeds/{name}"
    doc = documents(out)[source]
    assert (doc["status"], doc["error"]) == ("ok", "")
    rows = targets_of(out, source)
    assert rows and all(r["source"] == source for r in rows)
    mismatches = gold_mismatches(name.rsplit(".", 1)[0], rows)
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("name", BAD_FILES)
def test_every_bad_file_has_a_row_saying_what_is_wrong_and_what_to_do(batch, name):
    _, out, proc = batch
    _, status, words = BAD_FILES[name]
    doc = documents(out)[name]
    assert doc["status"] == status
    assert doc["error"].startswith(f"{name}: ")
    for word in words:
        assert word in doc["error"], doc["error"]
    assert doc["targets"] == "0" and doc["layout"] == ""
    assert not targets_of(out, name)
    if status == "failed":  # and the person running the batch is told on the spot
        assert f"failed: {doc['error']}" in proc.stderr.splitlines()


def test_the_summary_line_counts_the_batch(batch):
    _, out, proc = batch
    failed = sum(status == "failed" for _, status, _ in BAD_FILES.values())
    assert proc.stdout.startswith(
        f"chitieu: {len(SEEDS) + len(BAD_FILES)} documents, {GOLD_TARGETS} targets ("
    )
    assert f"), {failed} failed, 1 skipped → {out}" in proc.stdout


def test_a_file_over_the_time_limit_fails_and_is_read_again_with_a_longer_limit(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copyfile(RAW / f"{PROSE_SEED}.pdf", raw / "slow.pdf")
    proc = chitieu("extract", raw, out, "--timeout", "0.001")
    assert proc.returncode == 1
    error = documents(out)["slow.pdf"]["error"]
    assert error == ("slow.pdf: reading it took longer than the 0.001 s limit; "
                     "check the file, or raise the limit with --timeout")
    assert f"failed: {error}" in proc.stderr
    # a time-out is not remembered: the default limit reads the same bytes in full
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 0, proc.stderr
    assert not gold_mismatches(PROSE_SEED, targets_of(out, "slow.pdf"))


def test_a_damaged_page_fails_instead_of_silently_losing_its_targets(tmp_path):
    """pdfminer reads a page whose compressed content is broken as an empty page: the
    document used to come out `ok` with a page of targets missing."""
    import pdfplumber

    seed = RAW / f"{PROSE_SEED}.pdf"
    data = seed.read_bytes()
    with pdfplumber.open(seed) as pdf:
        content = pdf.pages[1].page_obj.contents[0].get_rawdata()
    start = data.index(content) + len(content) // 3
    damaged = data[:start] + bytes((x * 37 + 11) % 256 for x in range(64)) + data[start + 64:]
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "damaged.pdf").write_bytes(damaged)
    run_extract(Settings(tmp_path / "raw", tmp_path / "out", jobs=1))
    doc = documents(tmp_path / "out")["damaged.pdf"]
    assert doc["status"] == "failed"
    assert doc["error"].startswith("damaged.pdf: the PDF is damaged: the content of page 2 cannot be unpacked")


@pytest.mark.skipif(badfiles.vietnamese_font() is None, reason="no DejaVu Sans (fonts-dejavu-core) on this machine")
def test_a_pdf_locked_only_against_copying_is_read_in_full(tmp_path):
    """An owner password (no printing, no copying) encrypts every stream but needs no
    password to open: the damage check must decrypt before it judges."""
    (tmp_path / "raw").mkdir()
    lines = (RAW / f"{PROSE_SEED}.txt").read_text(encoding="utf-8").splitlines()
    badfiles.restricted_pdf(tmp_path / "raw" / "restricted.pdf", lines, badfiles.vietnamese_font())
    run_extract(Settings(tmp_path / "raw", tmp_path / "out", jobs=1))
    assert documents(tmp_path / "out")["restricted.pdf"]["status"] == "ok"
    assert not gold_mismatches(PROSE_SEED, targets_of(tmp_path / "out", "restricted.pdf"))


@pytest.mark.parametrize("make,words", [
    (lambda p: shutil.copyfile(RAW / f"{TABLE_SEED}.docx", p), ["not a PDF", "zip archive"]),
    (lambda p: p.write_text("Chỉ tiêu năm 2024\n", encoding="utf-8"), ["not a PDF", "text file"]),
], ids=["docx", "text"])
def test_another_format_named_pdf_is_called_what_it_is(tmp_path, make, words):
    (tmp_path / "raw").mkdir()
    make(tmp_path / "raw" / "renamed.pdf")
    run_extract(Settings(tmp_path / "raw", tmp_path / "out", jobs=1))
    doc = documents(tmp_path / "out")["renamed.pdf"]
    assert doc["status"] == "failed"
    assert all(w in doc["error"] for w in words), doc["error"]


def test_an_excel_workbook_named_docx_is_called_what_it_is(tmp_path):
    (tmp_path / "raw").mkdir()
    badfiles.spreadsheet_xlsx(tmp_path / "raw" / "plan.docx")
    run_extract(Settings(tmp_path / "raw", tmp_path / "out", jobs=1))
    assert documents(tmp_path / "out")["plan.docx"]["error"] == (
        "plan.docx: the file is an Excel workbook (.xlsx), not a Word document; give it its right "
        "extension, or open it and save it as .docx"
    )


def test_a_file_that_vanishes_before_it_is_read_is_a_failed_row(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds_into(raw, [f"{TABLE_SEED}.txt", f"{PROSE_SEED}.txt"])
    listed = pipeline.run.discover

    def discover_then_lose_one(*args):
        found = listed(*args)
        found[0].path.unlink()  # moved away by someone else between listing and reading
        return found

    monkeypatch.setattr(pipeline.run, "discover", discover_then_lose_one)
    summary = run_extract(Settings(raw, out, jobs=1))
    assert summary.failed == 1
    lost = documents(out)[f"{TABLE_SEED}.txt"]
    assert lost["status"] == "failed" and lost["doc_id"] == ""
    assert lost["error"].startswith(f"{TABLE_SEED}.txt: the file cannot be opened (No such file or directory)")
    assert documents(out)[f"{PROSE_SEED}.txt"]["status"] == "ok"
    assert validate_package(out) == []


def test_the_same_bad_bytes_at_two_paths_each_name_their_own_file(tmp_path):
    """The cache is keyed by content: a cached failure must not name the other file."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    badfiles.empty(raw / "a.pdf")
    badfiles.empty(raw / "b.pdf")
    for _ in range(2):  # the second run takes both from the cache
        run_extract(Settings(raw, out, jobs=1))
        docs = documents(out)
        assert docs["a.pdf"]["error"].startswith("a.pdf: the file is empty")
        assert docs["b.pdf"]["error"].startswith("b.pdf: the file is empty")


def test_the_same_bytes_under_another_extension_are_another_document(tmp_path):
    """The extension picks the reader: a .docx copied to a .txt name is a failure with its
    sentence, not the .docx's targets taken from the cache (issue 12)."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copyfile(RAW / f"{TABLE_SEED}.docx", raw / "a.docx")
    shutil.copyfile(RAW / f"{TABLE_SEED}.docx", raw / "b.txt")
    for _ in range(2):  # the second run takes both from the cache
        summary = run_extract(Settings(raw, out, jobs=1, isolate=False))
        docs = documents(out)
        assert (docs["a.docx"]["status"], docs["a.docx"]["format"], docs["a.docx"]["targets"]) == ("ok", "docx", "59")
        assert (docs["b.txt"]["status"], docs["b.txt"]["format"], docs["b.txt"]["targets"]) == ("failed", "txt", "0")
        assert docs["b.txt"]["error"].startswith("b.txt: the file is a zip archive")
        assert docs["a.docx"]["sha256"] == docs["b.txt"]["sha256"]
    assert summary.from_cache == 2


@pytest.mark.parametrize("where", ["inside", "same"])
def test_outputs_written_into_raw_are_not_read_back_as_documents(tmp_path, where):
    raw = tmp_path / "raw"
    seeds_into(raw, [f"{PROSE_SEED}.txt"])
    out = raw / "extracted" if where == "inside" else raw
    for _ in range(2):
        summary = run_extract(Settings(raw, out, jobs=1))
        assert (summary.documents, summary.skipped, summary.failed) == (1, 0, 0)
    assert list(documents(out)) == [f"{PROSE_SEED}.txt"]


# ---------------------------------------------------------------------------- interruptions


def copies(raw: Path, count: int) -> list[str]:
    """`count` copies of the prose PDF under raw/copies/, each with different bytes (a
    comment after %%EOF), so that none is in the cache yet."""
    data = (RAW / f"{PROSE_SEED}.pdf").read_bytes()
    (raw / "copies").mkdir(parents=True)
    for k in range(count):
        (raw / "copies" / f"copy{k:02}.pdf").write_bytes(data + f"%copy {k}\n".encode())
    return [f"copies/copy{k:02}.pdf" for k in range(count)]


@pytest.fixture
def finished(tmp_path):
    """A finished run over the seeds, then three new documents: the next run's outputs would
    differ from the ones on disk."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds_into(raw)
    run_extract(Settings(raw, out, jobs=1, isolate=False))
    return raw, out, outputs(out), copies(raw, 3)


# Ctrl-C while the outputs are being opened: a writer left open would write into its closed
# file when collected, and print a traceback of it to the terminal
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_ctrl_c_while_writing_outputs_leaves_every_previous_output(finished, monkeypatch):
    raw, out, before, new = finished
    real = pipeline.writers.StagedFiles.open
    opened = []

    def interrupted_on_the_third_output(staged, name):
        opened.append(name)
        if len(opened) == 3:
            raise KeyboardInterrupt
        return real(staged, name)

    monkeypatch.setattr(pipeline.writers.StagedFiles, "open", interrupted_on_the_third_output)
    with pytest.raises(KeyboardInterrupt):
        run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert len(opened) == 3
    assert outputs(out) == before  # not targets.* of this run beside documents.* of the last
    assert leftovers(out) == []

    monkeypatch.undo()
    assert run_extract(Settings(raw, out, jobs=1, isolate=False)).documents == len(SEEDS) + len(new)
    assert outputs(out) != before and validate_package(out) == []


def test_ctrl_c_while_targets_stream_out_leaves_every_previous_output(finished, monkeypatch):
    raw, out, before, _ = finished
    real = pipeline.run.ReportWriter.add_part  # each document's share of the report, in turn
    added = []

    def interrupted_on_the_second_document(report, summary, script):
        added.append(summary["source"])
        if len(added) == 2:
            raise KeyboardInterrupt
        return real(report, summary, script)

    monkeypatch.setattr(pipeline.run.ReportWriter, "add_part", interrupted_on_the_second_document)
    with pytest.raises(KeyboardInterrupt):
        run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert len(added) == 2
    assert outputs(out) == before
    assert leftovers(out) == []


def test_ctrl_c_while_reading_keeps_what_was_read_for_the_next_run(finished, monkeypatch):
    raw, out, before, new = finished
    real = pipeline.run.extract_with_limit
    read = []

    def interrupted_on_the_third(path, raw_dir, timeout):
        read.append(path.relative_to(raw_dir).as_posix())
        if len(read) == 3:
            raise KeyboardInterrupt
        return real(path, raw_dir, timeout)

    monkeypatch.setattr(pipeline.run, "extract_with_limit", interrupted_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert read == new  # the seeds came from the cache; Ctrl-C while reading the third new one
    assert outputs(out) == before
    assert leftovers(out) == []

    read.clear()
    monkeypatch.setattr(pipeline.run, "extract_with_limit",
                        lambda path, raw_dir, t: read.append(path.name) or real(path, raw_dir, t))
    summary = run_extract(Settings(raw, out, jobs=1, isolate=False))
    # what was read before Ctrl-C is not read again
    assert read == [Path(new[2]).name]
    assert summary.from_cache == len(SEEDS) + 2


def cache_entries(out: Path) -> list[Path]:
    return [p for p in (out / ".cache").glob("*/*.json")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_real_ctrl_c_stops_cleanly_and_keeps_the_outputs_whole(tmp_path, jobs, frozen_root):
    """SIGINT to the whole process group, as a terminal's Ctrl-C sends it (the workers too).
    Every run is of the code as the session found it (frozen_root): the next run must find
    what this one cached, and a file of the working tree saved meanwhile would change the key."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds_into(raw)
    assert chitieu("extract", raw, out, "--jobs", "1", cwd=frozen_root).returncode == 0
    before, cached_before = outputs(out), len(cache_entries(out))
    new = copies(raw, 12)

    proc = subprocess.Popen(
        [sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out), "--jobs", str(jobs)],
        cwd=frozen_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        # wait until the run has read a couple of the new documents, then press Ctrl-C
        deadline = time.monotonic() + 120
        while len(cache_entries(out)) < cached_before + 2 and proc.poll() is None:
            assert time.monotonic() < deadline, "the run read nothing"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in stderr, stderr
    if proc.returncode == 130:
        assert "chitieu: interrupted" in stderr and stdout == ""
    else:  # the signal came after the last document: the run finished first
        assert proc.returncode == 0, stderr

    # each output is whole, and all of them are of one run: the previous or this one
    after = outputs(out)
    assert after == before or all(after[n] != before[n] for n in ("targets.csv", "documents.csv"))
    assert validate_package(out) == []
    assert all(pq.read_table(out / n).num_rows for n in ("targets.parquet", "documents.parquet"))
    assert leftovers(out) == []
    for entry in cache_entries(out):
        json.loads(entry.read_text(encoding="utf-8"))

    # the next run reads only what the interrupted one had not
    proc = chitieu("-v", "extract", raw, out, "--jobs", str(jobs), cwd=frozen_root)
    assert proc.returncode == 0, proc.stderr
    from_cache = re.search(r"INFO: \d+ documents, (\d+) from cache, \d+ to read", proc.stderr)
    assert int(from_cache[1]) >= len(SEEDS) + 2
    assert len(documents(out)) == len(SEEDS) + 12
    assert all(not gold_mismatches(PROSE_SEED, targets_of(out, source)) for source in new)


def test_ctrl_c_just_after_a_report_file_is_created_leaves_no_temporary_file(tmp_path, monkeypatch):
    """The race CI met: Ctrl-C lands after mkstemp has made a report file's temporary file and
    before the write's own clean-up is armed. The run, not the write, must sweep it."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds_into(raw)
    real_mkstemp = pipeline.writers.tempfile.mkstemp

    def interrupted_mkstemp(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        if Path(name).parent.name == "report_files":
            os.close(fd)
            raise KeyboardInterrupt
        return fd, name

    monkeypatch.setattr(pipeline.writers.tempfile, "mkstemp", interrupted_mkstemp)
    with pytest.raises(KeyboardInterrupt):
        run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert leftovers(out) == []


# ---------------------------------------------------------------------------- cache and jobs


@pytest.fixture
def spied(monkeypatch):
    """The documents actually read (not taken from the cache), in-process with jobs=1."""
    real = pipeline.run.extract_with_limit
    read: list[str] = []

    def spy(path, raw_dir, timeout):
        read.append(path.relative_to(raw_dir).as_posix())
        return real(path, raw_dir, timeout)

    monkeypatch.setattr(pipeline.run, "extract_with_limit", spy)
    return read


def test_a_rerun_over_unchanged_files_reads_none_of_them(tmp_path, spied):
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds_into(raw)
    run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert sorted(spied) == sorted(SEEDS)
    first = outputs(out)

    spied.clear()
    summary = run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert spied == [] and summary.from_cache == len(SEEDS)
    assert outputs(out) == first


def test_a_touched_file_is_not_read_again_a_changed_one_is(tmp_path, spied):
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds_into(raw)
    run_extract(Settings(raw, out, jobs=1, isolate=False))
    first = outputs(out)

    touched = raw / f"{TABLE_SEED}.pdf"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    spied.clear()
    run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert spied == []  # same bytes: the cache is keyed by content, not by date
    assert outputs(out) == first

    changed = raw / f"{PROSE_SEED}.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")
    spied.clear()
    run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert spied == [changed.name]
    new_id = documents(out)[changed.name]["doc_id"]
    assert new_id != documents_from(first)[changed.name]["doc_id"]
    assert {t["doc_id"] for t in targets_of(out, changed.name)} == {new_id}


def documents_from(files: dict[str, bytes]) -> dict[str, dict]:
    text = files["documents.csv"].decode("utf-8-sig")
    return {row["source"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}


def output_stats(out: Path) -> dict[str, tuple[int, int]]:
    return {name: ((out / name).stat().st_size, (out / name).stat().st_mtime_ns) for name in OUTPUTS}


@pytest.fixture
def settled(tmp_path, spied):
    """A finished run over the seeds, with the documents it read forgotten."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds_into(raw)
    first = run_extract(Settings(raw, out, jobs=1, isolate=False))
    spied.clear()
    return raw, out, first


def test_an_unchanged_rerun_leaves_the_outputs_as_they_are(settled, spied):
    raw, out, first = settled
    before, stats = outputs(out), output_stats(out)
    summary = run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert spied == [] and output_stats(out) == stats and outputs(out) == before
    assert summary.line(out) == first.line(out) and summary.from_cache == len(SEEDS)


@pytest.mark.parametrize("change", ["edited output", "removed output", "new corrections", "new pipeline"])
def test_a_rerun_writes_the_outputs_again_when_what_they_come_from_changed(settled, spied, monkeypatch, change):
    raw, out, _ = settled
    before = outputs(out)
    if change == "edited output":
        (out / "targets.csv").write_bytes(b"edited by hand\n")
    elif change == "removed output":
        (out / "report.html").unlink()
    elif change == "new corrections":
        name = targets_of(out, f"{PROSE_SEED}.txt")[0]["name"]
        (raw / "corrections.csv").write_text(
            f"source,seq,name,field,value,note\n{PROSE_SEED}.txt,1,{name},approximate,true,\n", encoding="utf-8")
    else:
        monkeypatch.setattr(pipeline.run, "pipeline_fingerprint", lambda: "another-version")
    stats = output_stats(out) if change in ("new corrections", "new pipeline") else None
    run_extract(Settings(raw, out, jobs=1, isolate=False))
    assert spied == [] or change == "new pipeline"  # new code does not trust the old results
    if change == "new corrections":
        assert outputs(out)["targets.csv"] != before["targets.csv"]
        assert targets_of(out, f"{PROSE_SEED}.txt")[0]["approximate"] is True
    else:
        assert outputs(out) == before
    if stats:
        assert all(output_stats(out)[name][1] != stats[name][1] for name in OUTPUTS)


def test_no_cache_reads_every_file_again(tmp_path, spied):
    raw, out = tmp_path / "raw", tmp_path / "out"
    seeds_into(raw)
    run_extract(Settings(raw, out, jobs=1, isolate=False))
    first = outputs(out)
    spied.clear()
    summary = run_extract(Settings(raw, out, jobs=1, use_cache=False, isolate=False))
    assert sorted(spied) == sorted(SEEDS) and summary.from_cache == 0
    assert outputs(out) == first


def test_two_jobs_give_the_same_bytes_as_one(batch, tmp_path):
    raw, out_two, _ = batch
    one = raw.parent / "one"  # beside the other: the report links to raw/ relative to its folder
    proc = chitieu("extract", raw, one, "--jobs", "1", "--no-cache")
    assert proc.returncode == 1
    assert outputs(one) == outputs(out_two)
