"""Issue 12, items 2, 8 and 9: a reading process killed (as the out-of-memory killer does) fails
only its document, and that failure is cached; the main process killed with kill -9 leaves
no worker behind, and the next run clears what it left. Real processes, real signals: the
test waits for the run to say (with -v) that it has read the first document, then kills."""
from __future__ import annotations

import os
import signal
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import RAW, ROOT, TABLE_SEED
from test_hostile import documents, outputs


def slow_pdf(path: Path, pages: int = 25) -> Path:
    """Pages of plain text lines: it takes the PDF reader some seconds."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for p in range(pages):
        c.setFont("Helvetica", 9)
        for k in range(70):
            c.drawString(40, 800 - 11 * k, f"Dong {p}.{k}: noi dung ke hoach phat trien kinh te xa hoi, muc {k}")
        c.showPage()
    c.save()
    return path


def batch(raw: Path) -> None:
    raw.mkdir()
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "a.txt")
    slow_pdf(raw / "b.pdf")
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "c.txt")
    (raw / "c.txt").write_bytes((raw / "c.txt").read_bytes() + b"\n")  # other bytes than a.txt


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def start(raw: Path, out: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "chitieu.pipeline.cli", "-v", "extract", str(raw), str(out), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_line(proc: subprocess.Popen, words: str) -> list[str]:
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if words in line:
            return seen
    raise AssertionError(f"the run ended without saying {words!r}: {''.join(seen)}")


def holding(pid: int, path: Path) -> bool:
    """Whether the process has `path` open (the worker is reading it), waiting a while."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == str(path):
                    return True
            except OSError:
                pass
        time.sleep(0.01)
    return False


def gone(pid: int) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ")[1].startswith("Z"):  # a zombie is dead, not yet reaped
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_a_killed_worker_fails_only_its_document_which_is_cached_until_retried(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    batch(raw)
    proc = start(raw, out, "--jobs", "1")
    try:
        wait_for_line(proc, "a.txt: read (")
        (worker,) = children(proc.pid)
        assert holding(worker, raw / "b.pdf")  # it is reading b.pdf
        os.kill(worker, signal.SIGKILL)
        _, stderr = proc.communicate(timeout=300)
    finally:
        proc.kill()
    assert proc.returncode == 1 and "Traceback" not in stderr, stderr
    docs = documents(out)
    # c.txt waited in the killed worker's pipe (a worker holds the next document too): another read it
    assert docs["a.txt"]["status"] == docs["c.txt"]["status"] == "ok"
    assert docs["b.pdf"]["status"] == "failed"
    assert docs["b.pdf"]["error"] == (
        "b.pdf: the process reading it was killed (SIGKILL), so it was not read (the system stops a process "
        "that takes too much memory); check the file, then read it again with --retry-failed")

    again = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "-v", "extract", str(raw), str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 1 and "3 documents, 3 from cache, 0 to read" in again.stderr
    assert documents(out)["b.pdf"] == docs["b.pdf"]

    retried = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "-v", "extract", str(raw), str(out),
                              "--retry-failed", "--timeout", "0.5"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "b.pdf: read (failed)" in retried.stderr, retried.stderr
    assert "took longer than the 0.5 s limit" in documents(out)["b.pdf"]["error"]


def test_kill_9_of_the_run_leaves_no_worker_and_the_outputs_whole(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    batch(raw)
    (raw / "b.pdf").rename(tmp_path / "b.pdf")
    first = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    before = outputs(out)
    (tmp_path / "b.pdf").rename(raw / "b.pdf")

    proc = start(raw, out, "--jobs", "2", "--no-cache")
    try:
        wait_for_line(proc, "a.txt: read (")
        workers = children(proc.pid)
        assert workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert all(gone(pid) for pid in workers)  # the kernel ended them with their parent
    assert outputs(out) == before
    assert list(out.glob(".*.staged.tmp"))  # what kill -9 leaves; the next run clears it

    proc = subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out), "--timeout", "0.5"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert sorted(p.name for p in out.rglob("*.tmp")) == []
    assert documents(out)["c.txt"]["status"] == "ok"


def test_ctrl_c_while_a_large_result_is_half_received_stops_at_once(tmp_path, monkeypatch):
    """A large result crosses the pipe in pieces. Ctrl-C between two of them leaves the rest
    in the pipe, which is no message: stopping must not read it (a length made of the middle
    of a result, then a wait for bytes that never come). The worker cached the result first."""
    from multiprocessing.connection import Connection

    from chitieu.pipeline.cache import ResultCache, file_sha256
    from chitieu.pipeline.pool import Job, read_in_workers
    from test_acceptance_hostile import long_prose

    raw = tmp_path / "raw"
    raw.mkdir()
    doc = long_prose(raw / "long.txt")  # some 650 targets: a result of several pipe buffers
    real, cut = Connection._recv, []

    def interrupted_once(conn, size, *args):
        if size > 64 * 1024 and not cut:  # the result itself, not its 4-byte length
            cut.append(real(conn, 64 * 1024, *args))
            raise KeyboardInterrupt
        return real(conn, size, *args)

    monkeypatch.setattr(Connection, "_recv", interrupted_once)
    cache_ = ResultCache(tmp_path / "cache")
    job = Job(0, str(doc), "long.txt", file_sha256(doc))
    outcome = []

    def run():
        try:
            next(read_in_workers([job], 1, raw, 120, cache_, 2 * 1024 ** 3))
        except BaseException as e:  # noqa: BLE001 (the thread reports it)
            outcome.append(type(e).__name__)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=120)  # a bound, not a measure: it ends at once, or never
    assert not thread.is_alive(), "stopping waited for the rest of a message that was not one"
    assert cut and outcome == ["KeyboardInterrupt"]
    assert cache_.get(job.sha, "txt", "long.txt", 120).document["targets"] > 600
