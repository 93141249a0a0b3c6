"""Issue 19: a folder of anything, safely. Each attack of the issue is a small file or a
folder state here; the batch goes on, the document fails with a sentence, the run's memory
stays under its budget, no request leaves the machine, no byte of a file outside RAW reaches
an output, and previous outputs stay when nothing could be read."""
from __future__ import annotations

import csv
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import attacks
from conftest import RAW, ROOT, TABLE_SEED
from chitieu.parsers.formats.office import soffice
from chitieu.pipeline.extract import extract_document

BUDGET_MB = 512


def chitieu(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env=env)


def peak_of(args: list[str], env=None) -> tuple[subprocess.CompletedProcess, float]:
    """Run chitieu and give the peak memory (MB) of the largest process of the run."""
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "sys.stdout.write(repr((p.returncode, p.stdout, p.stderr, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)))")
    proc = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "chitieu.pipeline.cli", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    status, stdout, stderr, rss_kb = eval(proc.stdout)
    return subprocess.CompletedProcess(args, status, stdout, stderr), rss_kb / 1024


def documents(out: Path) -> dict[str, dict]:
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        return {r["source"]: r for r in csv.DictReader(f)}


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".chitieu.lock"}


def with_seed(raw: Path) -> Path:
    raw.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "plan.txt")
    return raw


# ---------------------------------------------------------------------------- memory


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    """One batch of every file that asks for gigabytes, read under a small budget."""
    base = tmp_path_factory.mktemp("bombs")
    raw, out = with_seed(base / "raw"), base / "out"
    attacks.colspan_bomb_html(raw / "colspan.html")
    attacks.huge_page_pdf(raw / "huge-page.pdf")
    attacks.merge_bomb_xlsx(raw / "merge.xlsx")
    attacks.shared_string_bomb_xlsx(raw / "shared-string.xlsx")
    attacks.gridspan_bomb_docx(raw / "gridspan.docx")
    attacks.many_paragraphs_html(raw / "many-paragraphs.html")
    assert all(p.stat().st_size < 40 * 1024 * 1024 for p in raw.iterdir())
    proc, peak = peak_of(["extract", raw, out, "--jobs", "2", "--max-memory", f"{BUDGET_MB}M"])
    return raw, out, proc, peak


def test_tiny_files_that_ask_for_gigabytes_stay_within_the_budget(bombs):
    raw, out, proc, peak = bombs
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert peak < BUDGET_MB, f"a process of the run peaked at {peak:.0f} MB"
    docs = documents(out)
    assert docs["plan.txt"]["status"] == "ok"  # the batch went on
    assert len(docs) == len(list(raw.iterdir()))


@pytest.mark.parametrize("name,words", [
    ("merge.xlsx", ["declares 17,179,869,192 cells (written or merged)", "more than the 1,000,000"]),
    ("shared-string.xlsx", ["more than 20,000,000 characters"]),
    ("many-paragraphs.html", ["needed more than the 512 MB memory budget", "--max-memory"]),
])
def test_a_file_over_a_limit_fails_with_its_sentence(bombs, name, words):
    _, out, _, _ = bombs
    doc = documents(out)[name]
    assert doc["status"] == "failed", doc
    assert doc["error"].startswith(f"{name}: ") and all(w in doc["error"] for w in words), doc["error"]


@pytest.mark.parametrize("name", ["colspan.html", "gridspan.docx", "huge-page.pdf"])
def test_a_span_or_page_larger_than_its_grid_is_read_at_the_size_it_has(bombs, name):
    """The span is cut to the grid (HTML's own limit, the table's columns), the page rendered
    small enough: the file is read like any other, for what it holds. The HTML table reads;
    the Word table's header cell, cut to the four columns of its grid, leaves no header to
    find; the blank page is a scan with no text."""
    _, out, _, _ = bombs
    doc = documents(out)[name]
    assert "memory" not in doc["error"] and "report this file" not in doc["error"], doc["error"]
    expected = {"colspan.html": "",
                "gridspan.docx": "gridspan.docx: no target table",
                "huge-page.pdf": "huge-page.pdf: the PDF has no text layer"}[name]
    assert doc["error"].startswith(expected) and (doc["status"] == "ok") == (not expected), doc


# ---------------------------------------------------------------------------- no network


class _Listener:
    """An HTTP server on localhost that counts the requests it gets."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_sends_no_request_while_converting(tmp_path):
    raw, out = with_seed(tmp_path / "raw"), tmp_path / "out"
    with _Listener() as listener:
        attacks.doc_fetching_image(raw / "web-page.doc", f"{listener.url}/from-doc.png")
        attacks.odt_linking_image(raw / "linked.odt", f"{listener.url}/from-odt.png")
        # the listener answers: the same files do reach it when nothing stops LibreOffice
        proc = chitieu("extract", raw, out)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert listener.hits == []
    assert documents(out)["web-page.doc"]["status"] == "ok", documents(out)["web-page.doc"]["error"]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_no_profile_or_temporary_file_is_left_behind(tmp_path):
    raw, out, scratch = with_seed(tmp_path / "raw"), tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    shutil.copyfile(RAW / f"{TABLE_SEED}.docx", raw / "plan.docx")
    attacks.doc_fetching_image(raw / "a.doc", "http://127.0.0.1:9/x.png")
    attacks.odt_linking_image(raw / "b.odt", "http://127.0.0.1:9/x.png")
    proc = chitieu("extract", raw, out, "--jobs", "2", env={**os.environ, "TMPDIR": str(scratch)})
    assert proc.returncode == 0, proc.stderr
    assert list(scratch.iterdir()) == []


# ---------------------------------------------------------------------------- what is opened


def test_a_file_swapped_for_a_link_after_listing_is_refused(tmp_path):
    """The worker's own check: it opens the path it is handed, then checks what it opened."""
    raw, outside = with_seed(tmp_path / "raw"), tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("Tỷ lệ bí mật đạt 99% (SECRET-BYTES)\n", encoding="utf-8")
    (raw / "plan.txt").unlink()
    (raw / "plan.txt").symlink_to(secret)  # listed as a file, a link by the time it is read
    result = extract_document(raw / "plan.txt", raw)
    assert result.document["status"] == "failed" and result.targets == []
    assert "outside the input folder" in result.document["error"], result.document["error"]

    (raw / "sub").symlink_to(outside, target_is_directory=True)  # a folder swapped for a link
    result = extract_document(raw / "sub" / "secret.txt", raw)
    assert result.document["status"] == "failed" and "SECRET" not in repr(result)


def test_a_file_gone_since_listing_says_so(tmp_path):
    raw = with_seed(tmp_path / "raw")
    result = extract_document(raw / "gone.docx", raw)
    assert result.document["error"].startswith("gone.docx: the file is no longer there"), result.document["error"]


def test_a_carriage_return_in_a_file_name_keeps_every_row_whole(tmp_path):
    raw, out = with_seed(tmp_path / "raw"), tmp_path / "out"
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "kế hoạch\r2025.txt")
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 0, proc.stderr
    docs = documents(out)
    assert set(docs) == {"plan.txt", "kế hoạch\\x0d2025.txt"}  # shown escaped, on one line
    for name in ("targets.csv", "documents.csv", "left_out.csv"):
        text = (out / name).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len({len(r) for r in rows}) == 1, f"{name}: rows of different lengths"
        assert "\r" not in text


def test_every_text_field_is_quoted_when_it_must_be():
    from chitieu.pipeline.schema import TARGET_FIELDS
    from chitieu.pipeline.writers import CsvWriter

    record = {f.name: None for f in TARGET_FIELDS}
    record.update(name="a\rb", target_text="c\x00d", agency='e\n"f"', notes="g,h", source="s.txt", seq=1)
    buffer = io.BytesIO()
    writer = CsvWriter(buffer, TARGET_FIELDS)
    writer.write([record, record])
    writer.close()
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8-sig"), newline="")))
    assert len(rows) == 2
    assert [rows[1][k] for k in ("name", "target_text", "agency", "notes")] == ["a\rb", "c\x00d", 'e\n"f"', "g,h"]


# ---------------------------------------------------------------------------- corrections.csv


def test_corrections_as_a_named_pipe_does_not_hang_the_run(tmp_path):
    raw, out = with_seed(tmp_path / "raw"), tmp_path / "out"
    os.mkfifo(raw / "corrections.csv")
    proc = chitieu("extract", raw, out)  # the timeout of the call is the hang's test
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "corrections.csv is not a regular file" in proc.stderr, proc.stderr


def test_corrections_as_a_link_out_of_raw_is_not_followed(tmp_path):
    raw, out = with_seed(tmp_path / "raw"), tmp_path / "out"
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("source,seq,name,field,value,note\nplan.txt,1,SECRET-LINE,unit,%,\n", encoding="utf-8")
    (raw / "corrections.csv").symlink_to(outside)
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 1 and "is a link" in proc.stderr, proc.stderr
    assert "SECRET-LINE" not in proc.stderr
    assert not (out / "targets.csv").exists()


# ---------------------------------------------------------------------------- nothing wiped


def test_a_folder_of_no_documents_keeps_the_previous_outputs(tmp_path):
    raw, out = with_seed(tmp_path / "raw"), tmp_path / "out"
    assert chitieu("extract", raw, out).returncode == 0
    before = outputs(out)
    (raw / "plan.txt").unlink()
    (raw / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a plan")
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 2 and "photo.jpg" in proc.stderr and "unchanged" in proc.stderr, proc.stderr

    (raw / "README.md").write_text("# Ảnh chụp hội nghị\n\nThư mục này chứa ảnh.\n", encoding="utf-8")
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 2 and "README.md: no target table" in proc.stderr, proc.stderr
    assert outputs(out) == before


# ---------------------------------------------------------------------------- sentences


@pytest.mark.parametrize("args,words", [
    (["--timeout", "1e10"], "--timeout must be at most"),
    (["--max-memory", "10M"], "--max-memory must be at least 512 MB"),
    (["--max-memory", "lots"], "'lots' is not a size"),
])
def test_an_option_out_of_range_is_a_sentence(tmp_path, args, words):
    raw = with_seed(tmp_path / "raw")
    proc = chitieu("extract", raw, tmp_path / "out", *args)
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_a_correction_with_a_twenty_digit_year_is_a_sentence(tmp_path):
    raw, out = with_seed(tmp_path / "raw"), tmp_path / "out"
    first = chitieu("extract", raw, out)
    assert first.returncode == 0
    with open(out / "targets.csv", encoding="utf-8-sig", newline="") as f:
        row = next(csv.DictReader(f))
    (raw / "corrections.csv").write_text(
        f"source,seq,name,field,value,note\nplan.txt,{row['seq']},{row['name']},year,12345678901234567890,\n",
        encoding="utf-8")
    proc = chitieu("extract", raw, out)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "line 2" in proc.stderr and "too large" in proc.stderr, proc.stderr


def test_report_on_a_damaged_parquet_is_a_sentence(tmp_path):
    raw, out = with_seed(tmp_path / "raw"), tmp_path / "out"
    assert chitieu("extract", raw, out).returncode == 0
    (out / "targets.parquet").write_bytes(b"PAR1 not really")
    proc = chitieu("report", out, "--raw", raw)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "cannot be read" in proc.stderr and "chitieu extract" in proc.stderr, proc.stderr


def test_a_killed_runs_temporary_folder_is_removed_by_the_next_run(tmp_path):
    """kill -9 ends a run before it can remove its workers' folder; the next run removes the
    folders of runs whose process is gone, and leaves a live one's alone."""
    raw, out, scratch = with_seed(tmp_path / "raw"), tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = scratch / f"chitieu-run-{gone.stdout.strip()}-abc"
    (dead / "worker-1").mkdir(parents=True)
    live = scratch / f"chitieu-run-{os.getpid()}-def"
    live.mkdir()
    proc = chitieu("extract", raw, out, env={**os.environ, "TMPDIR": str(scratch)})
    assert proc.returncode == 0, proc.stderr
    assert not dead.exists() and live.exists()
