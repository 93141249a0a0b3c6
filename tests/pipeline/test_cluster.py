"""Issue 24: documents read on a Dask cluster give the outputs of a local run, byte for byte.

Real clusters on this machine: a LocalCluster of 2 worker processes (`--cluster local:2`), and a
`dask scheduler` with 2 `dask worker` processes started here on free ports (always torn down).
A worker killed with SIGKILL while it reads loses nothing; a client killed mid-run leaves what
the workers read in the cache; a document whose workers die twice is failed with a sentence. A
`file://` URL and an in-memory fsspec store serve as RAW. The runs use the session's frozen copy
of the code (as cwd and on the workers' path), so that a file saved meanwhile changes nothing.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import PROSE_SEED, RAW, TABLE_SEED
from test_hostile import documents
from test_workers import slow_pdf

LOCK = ".chitieu.lock"


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file, at any depth (the report's per-document files too), but the lock and
    the cache."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(out).parts and p.name != LOCK}


def extract(root: Path, raw: str | Path, out: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`chitieu extract` run from the frozen copy `root`."""
    return subprocess.run([sys.executable, "-m", "chitieu.pipeline.cli", "-v", "extract", str(raw), str(out), *args],
                          cwd=root, env=_env(root), capture_output=True, text=True, timeout=timeout)


def _env(root: Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(root))


def slow_document(path: Path, pages: int) -> Path:
    """A real resolution (the prose seed's PDF) followed by `pages` pages of text lines: it
    reads `ok` and takes the PDF reader some seconds."""
    import pypdfium2 as pdfium

    filler = slow_pdf(path.with_suffix(".filler"), pages)
    document = pdfium.PdfDocument(str(RAW / f"{PROSE_SEED}.pdf"))
    document.import_pages(pdfium.PdfDocument(str(filler)))
    document.save(str(path))
    filler.unlink()
    return path


def small_scan(path: Path) -> Path:
    """A scan of two small pages (the top of the prose seed's first two pages, printed at 200
    dpi): its pages are read as tasks of their own on a cluster, in about a second each."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(RAW / f"{PROSE_SEED}.pdf"))
    images = []
    for k in range(2):
        image = document[k].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
        images.append(image.crop((0, 0, image.width, int(image.height * 0.35))))
    document.close()
    images[0].save(path, save_all=True, append_images=images[1:], resolution=200)
    return path


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The six seeds and a small scan in a folder, and the outputs of a local run on them (OUT
    beside RAW, as every run of this module writes it, so that the report's link to RAW is the
    same)."""
    from chitieu.pipeline.run import run_extract
    from chitieu.pipeline.settings import Settings

    folder = tmp_path_factory.mktemp("seeds")
    raw = folder / "raw"
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("rendered", "corrections.csv"))
    small_scan(raw / "scan.pdf")
    run_extract(Settings(raw=raw, out=folder / "local", isolate=False))
    return raw, outputs(folder / "local")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dask_processes(root: Path, log: Path, workers: int = 2):
    """`dask scheduler` and `workers` × `dask worker` (a nanny and its worker process each) on
    localhost, on a free port; each in its own process group, all killed when done."""
    address = f"tcp://127.0.0.1:{free_port()}"
    started = []

    def start(*args: str) -> subprocess.Popen:
        with open(log, "ab") as sink:
            proc = subprocess.Popen([sys.executable, "-m", "dask", *args], cwd=root, env=_env(root),
                                    stdout=sink, stderr=sink, start_new_session=True)
        started.append(proc)
        return proc

    try:
        start("scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard")
        for k in range(workers):
            start("worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                  "--no-dashboard", "--name", f"worker-{k}")
        import distributed

        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=60)
        yield address, [proc.pid for proc in started[1:]]
    finally:
        for proc in reversed(started):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def reader_of(path: Path, under: list[int], within: float = 60) -> int | None:
    """The process descending from one of `under` (the `dask worker` processes) that has `path`
    open: a reader, while it reads it. None once `within` seconds pass."""
    deadline = time.monotonic() + within
    while True:
        for pid in map(int, filter(str.isdigit, os.listdir("/proc"))):
            with contextlib.suppress(OSError):
                if any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd")) \
                        and set(ancestors(pid)) & set(under):
                    return pid
        if time.monotonic() > deadline:
            return None
        time.sleep(0.02)


def ancestors(pid: int) -> list[int]:
    found = []
    while pid > 1:
        with open(f"/proc/{pid}/stat") as f:
            pid = int(f.read().rsplit(")", 1)[1].split()[1])
        found.append(pid)
    return found


# ---------------------------------------------------------------------------- a LocalCluster


def test_a_local_cluster_of_two_processes_writes_the_local_outputs_byte_for_byte(seeds, frozen_root):
    raw, local = seeds
    out = raw.parent / "local-cluster"
    done = extract(frozen_root, raw, out, "--cluster", "local:2")
    assert done.returncode == 0, done.stderr
    assert outputs(out) == local
    assert "reading on the Dask cluster at tcp://127.0.0.1:" in done.stderr
    assert "7 documents read on the cluster" in done.stderr and re.search(r"time per stage: read .*, ocr", done.stderr)
    assert "Traceback" not in done.stderr


def test_ctrl_c_lets_the_document_being_read_finish_and_be_cached(frozen_root, tmp_path):
    """Ctrl-C reaches the whole process group, a LocalCluster's workers too (as in a terminal):
    they ignore it, the run lets the document being read finish (its reader caches it) and
    stops with exit status 130."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    slow = slow_document(raw / "a-slow.pdf", pages=8)
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "b.txt")
    with open(tmp_path / "run.log", "wb") as sink:
        run = subprocess.Popen([sys.executable, "-m", "chitieu.pipeline.cli", "extract", str(raw), str(out),
                                "--cluster", "local:2"], cwd=frozen_root, env=_env(frozen_root), stdout=sink,
                               stderr=sink, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert reader_of(slow, [run.pid]), "no worker read a-slow.pdf"
        os.killpg(run.pid, signal.SIGINT)
        run.wait(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
    said = (tmp_path / "run.log").read_text()
    assert run.returncode == 130, said
    assert re.search(r"stopping: the (document being read is|2 documents being read are) finished and cached", said)
    assert "chitieu: interrupted; the previous outputs are unchanged" in said and "Traceback" not in said
    from chitieu.pipeline.cache import file_sha256

    cached = list((out / ".cache").glob(f"*/{file_sha256(slow)}-*.pdf.json"))
    assert cached, "the document being read was not cached"


def test_a_store_in_memory_is_read_on_workers_in_this_process(tmp_path, monkeypatch):
    """A memory:// filesystem lives in one process: its LocalCluster's workers are threads of
    this one (processes=False), each with its own reader process fed the bytes it fetched. The
    scan's two pages are read as two page tasks, from the bytes its worker fetched."""
    import fsspec

    import chitieu
    from chitieu.pipeline import cluster_pages
    from chitieu.pipeline.run import run_extract
    from chitieu.pipeline.settings import Settings

    pages_read = tmp_path / "pages-read"  # a file: the task travels pickled, with a copy of what it holds

    def counted(document, page_no):
        with open(pages_read, "a") as f:
            f.write(f"{type(document).__name__} {page_no}\n")
        return ocr_page(document, page_no)

    ocr_page = cluster_pages.ocr_page
    monkeypatch.setattr(cluster_pages, "ocr_page", counted)

    monkeypatch.chdir(tmp_path)  # the report links to RAW: memory://<name> names ./<name>
    name = f"raw-{uuid.uuid4().hex[:8]}"
    store = fsspec.filesystem("memory")
    local_raw = tmp_path / name
    local_raw.mkdir()
    for form in ("txt", "docx"):
        for seed in (TABLE_SEED, PROSE_SEED):
            data = (RAW / f"{seed}.{form}").read_bytes()
            store.pipe(f"/{name}/{form}/{seed}.{form}", data)
            (local_raw / form).mkdir(exist_ok=True)
            (local_raw / form / f"{seed}.{form}").write_bytes(data)
    store.pipe(f"/{name}/scan.pdf", small_scan(local_raw / "scan.pdf").read_bytes())
    try:
        run_extract(Settings(raw=local_raw, out=tmp_path / "local", jobs=1, isolate=False, quiet=True))
        result = chitieu.extract(f"memory://{name}", tmp_path / "memory", cluster="local:2")
    finally:
        store.rm(f"/{name}", recursive=True)
    assert len(result.documents) == 5 and result.failed.empty
    assert outputs(tmp_path / "memory") == outputs(tmp_path / "local")
    assert sorted(pages_read.read_text().split("\n")) == ["", "bytes 1", "bytes 2"]


def test_a_document_whose_workers_die_twice_fails_with_a_sentence(tmp_path):
    """The task of b.txt kills the worker process running it, wherever it runs: the scheduler
    gives it to a second worker, which dies too, and the run goes on without it."""
    from chitieu.pipeline.cache import ResultCache
    from chitieu.pipeline.cluster import Cluster
    from chitieu.pipeline.cluster_worker import read_document
    from chitieu.pipeline.run import plan_run
    from chitieu.pipeline.inputs import discover
    from chitieu.pipeline.settings import Settings

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (raw / name).write_bytes((RAW / f"{TABLE_SEED}.txt").read_bytes() + name.encode())

    def dies_on_b(job, how):
        if job.source == "b.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        return read_document(job, how)

    settings = Settings(raw=raw, out=tmp_path / "out", cluster="local:2", quiet=True)
    cache_ = ResultCache(settings.out / ".cache")
    started = time.monotonic()
    with Cluster(settings, cache_.folder) as cluster:
        cluster.task = dies_on_b
        todo = plan_run(discover(raw), settings, cache_)
        results = {r.document["source"]: r.document for r in cluster.read(todo, cache_)}
    assert time.monotonic() - started < 120
    assert results["a.txt"]["status"] == results["c.txt"]["status"] == "ok"
    assert results["b.txt"]["status"] == "failed"
    assert results["b.txt"]["error"] == (
        "b.txt: the process reading it died twice, each time taking its Dask worker with it, so it was not "
        "read (the system stops a process that takes too much memory); check the file, then read it again "
        "with --retry-failed")
    sha = results["b.txt"]["sha256"]
    assert cache_.get(sha, "txt", "b.txt", settings.timeout).document["status"] == "failed"  # not tried again


# ---------------------------------------------------------------------------- dask scheduler, dask worker


def test_a_scheduler_and_two_workers_started_as_processes(seeds, frozen_root, tmp_path):
    """On one cluster: the seeds as a file:// URL give the local outputs byte for byte; a worker
    killed (SIGKILL) while it reads loses nothing; a client killed while the workers read
    leaves what they were reading in the cache, and the next run reads only the rest."""
    raw, local = seeds
    with dask_processes(frozen_root, tmp_path / "dask.log") as (address, workers):
        url = extract(frozen_root, raw.as_uri(), raw.parent / "url", "--cluster", address)
        assert url.returncode == 0, url.stderr
        assert outputs(raw.parent / "url") == local

        batch = tmp_path / "batch"
        batch.mkdir()
        slow = slow_document(batch / "slow.pdf", pages=8)  # read first (sources in order), in some seconds
        for k in range(4):
            (batch / f"t{k}.txt").write_bytes((RAW / f"{TABLE_SEED}.txt").read_bytes() + b"\n" * (k + 1))
        run = start(frozen_root, batch, tmp_path / "killed", address)
        try:
            reader = reader_of(slow, workers)
            assert reader, "no worker read slow.pdf"
            os.kill(ancestors(reader)[0], signal.SIGKILL)  # the Dask worker process whose reader it is
            run.wait(timeout=300)
        finally:
            run.kill()
        assert run.returncode == 0, run.log.read_text()
        assert [d["status"] for d in documents(tmp_path / "killed").values()] == ["ok"] * 5

        run = start(frozen_root, batch, tmp_path / "crashed", address)
        try:
            assert reader_of(slow, workers), "no worker read slow.pdf"
            os.kill(run.pid, signal.SIGKILL)
            run.wait(timeout=60)
        finally:
            run.kill()
        assert cached_within(tmp_path / "crashed", slow), "its reader did not read on and cache it"
        cached = len(list((tmp_path / "crashed" / ".cache").glob("*/*.json")))
        again = extract(frozen_root, batch, tmp_path / "crashed", "--cluster", address)
        assert again.returncode == 0, again.stderr
        assert f"5 documents, {cached} from cache, {5 - cached} to read" in again.stderr, again.stderr
        assert "slow.pdf: from the cache" in again.stderr


def start(root: Path, raw: Path, out: Path, address: str) -> subprocess.Popen:
    """A run in the background; what it says goes to a file beside OUT (`.log` of the process)."""
    log = out.with_suffix(".log")
    with open(log, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "chitieu.pipeline.cli", "-v", "extract", str(raw), str(out),
                                 "--cluster", address], cwd=root, env=_env(root), stderr=sink, stdout=sink)
    proc.log = log
    return proc


def cached_within(out: Path, document: Path, within: float = 120) -> bool:
    """Whether the cache in `out` holds the result of `document` within `within` seconds."""
    from chitieu.pipeline.cache import file_sha256

    deadline, sha = time.monotonic() + within, file_sha256(document)
    while time.monotonic() < deadline:
        if list((out / ".cache").glob(f"*/{sha}-*.json")):
            return True
        time.sleep(0.1)
    return False


# ---------------------------------------------------------------------------- what is said


@pytest.mark.parametrize("address, words", [
    ("nowhere", "--cluster must be a Dask scheduler's address (tcp://host:8786) or local:N"),
    ("local:0", "--cluster local:N needs 1 to 1024 workers, not 0"),
])
def test_a_cluster_address_that_is_none_exits_2_with_a_sentence(tmp_path, capsys, address, words):
    from chitieu.pipeline.cli import main

    assert main(["extract", str(RAW), str(tmp_path / "out"), "--cluster", address]) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_no_scheduler_at_the_address_is_a_usage_error(tmp_path, monkeypatch):
    from chitieu.pipeline import cluster
    from chitieu.pipeline.run import run_extract
    from chitieu.pipeline.settings import Settings, UsageError

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(UsageError, match=f"no Dask scheduler answers at {address}"):
        run_extract(Settings(raw=RAW, out=tmp_path / "out", cluster=address, quiet=True))
    assert not (tmp_path / "out" / "targets.csv").exists()


def test_doctests_of_the_settings():
    import doctest

    from chitieu.pipeline import settings

    assert doctest.testmod(settings).failed == 0


@pytest.mark.parametrize("blind_to", ["cache", "raw"])
def test_workers_that_do_not_see_the_cache_or_raw(tmp_path, monkeypatch, caplog, blind_to):
    """Workers that do not see OUT/.cache leave the caching to the client, which says so; workers
    that do not see RAW stop the run before it reads anything. (Workers of this process, told
    so: one machine cannot hide a folder from its own workers.)"""
    from chitieu.pipeline import cluster
    from chitieu.pipeline.cache import ResultCache, file_sha256
    from chitieu.pipeline.run import run_extract
    from chitieu.pipeline.settings import Settings, UsageError

    seen = cluster.what_this_worker_sees

    def blind(raw, url, probe):
        return seen(raw, url, probe) | {f"sees_{blind_to}": False}

    monkeypatch.setattr(cluster, "what_this_worker_sees", blind)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(RAW / f"{TABLE_SEED}.txt", raw / "a.txt")
    settings = Settings(raw=raw, out=tmp_path / "out", cluster="local:1", quiet=True)
    if blind_to == "raw":
        with pytest.raises(UsageError, match=f"cannot see the input folder {raw}; put RAW on a filesystem"):
            run_extract(settings)
        return
    summary = run_extract(settings)
    assert summary.failed == 0
    assert "the Dask workers do not see" in caplog.text
    # the reader cached into its scratch folder (thrown away): this entry is the client's
    assert ResultCache(tmp_path / "out" / ".cache").get(file_sha256(raw / "a.txt"), "txt", "a.txt", 300)
