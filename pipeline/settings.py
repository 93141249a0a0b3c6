"""How a run is called: its settings, checked where they are made, and the errors that mean
chitieu cannot run at all (exit status 2), as opposed to documents that failed (exit 1)."""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


MB = 1024 * 1024
GB = 1024 * MB
MAX_TIMEOUT = 7 * 24 * 3600.0  # a week: past this a limit is no limit (and overflows the timer)
MIN_MEMORY = 512 * MB  # the pipeline itself takes about 150 MB of data (and 60 MB of code) before it reads a byte


def default_max_memory(workers: int) -> int:
    """A worker's memory budget when none is given: an equal share of the machine's memory
    for each worker and the main process, at most 2 GB (a planning document needs far less;
    more only lets a hostile file take the machine)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 4 * GB
    return max(MIN_MEMORY, min(2 * GB, total // (workers + 1)))


def size_text(n: int) -> str:
    """
    >>> size_text(2 * GB), size_text(300 * MB)
    ('2.0 GB', '300 MB')
    """
    return f"{n / GB:.1f} GB" if n >= GB else f"{n / MB:.0f} MB"


# An fsspec URL names RAW on a store (file://, memory://, s3://, gs://); a scheme of one letter is a
# Windows drive, not a store.
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
# --cluster: a Dask scheduler's address (tcp://host:8786), or local:N for a cluster of N worker
# processes on this machine.
LOCAL_CLUSTER = re.compile(r"^local:(\d+)$")
SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls|ws|wss|ucx|inproc)://\S+$")


def is_url(text: str) -> bool:
    """Whether RAW is an fsspec URL rather than a folder.

    >>> is_url("s3://bucket/raw"), is_url("file:///data/raw"), is_url("raw"), is_url("C://raw")
    (True, True, False, False)
    """
    return bool(URL.match(text))


def raw_location(text: str | os.PathLike) -> tuple[Path, str | None]:
    """RAW as (the folder it names, the URL): a folder is (it, None); a file:// URL is its folder
    and the URL; another store's URL only names a folder (for messages), the URL is what is read.

    >>> raw_location("raw"), raw_location("file:///data/raw")
    ((PosixPath('raw'), None), (PosixPath('/data/raw'), 'file:///data/raw'))
    """
    text = os.fspath(text)
    if not is_url(text):
        return Path(text), None
    parts = urlsplit(text)
    if parts.scheme == "file":
        return Path(unquote(parts.path)), text
    return Path(parts.netloc + unquote(parts.path)), text


class UsageError(Exception):
    """A mistake in how chitieu was called, or a machine it cannot work on (an unwritable or
    full output folder, a run already writing there): exit status 2, nothing written."""


@dataclass(frozen=True)
class Settings:
    raw: Path
    out: Path
    jobs: int = 0  # 0: one per core
    use_cache: bool = True
    timeout: float = 300.0  # seconds one document may take
    progress: bool = False
    retry_failed: bool = False  # read again the documents whose failure is cached
    wait: bool = False  # wait for another run writing into `out` instead of stopping
    isolate: bool = True  # read documents in worker processes (False: in this one, for tests)
    max_memory: int | None = None  # bytes one worker may use (None: default_max_memory)
    keep_outputs_if_none_read: bool = True  # a RAW where no document reads leaves OUT as it was
    cluster: str | None = None  # a Dask scheduler's address or local:N: documents read there (pipeline/cluster.py)
    raw_url: str | None = None  # RAW as an fsspec URL, listed and read through fsspec; `raw` then only names it
    quiet: bool = False  # say nothing but errors (the cluster's dashboard and progress lines)

    def __post_init__(self):
        if self.cluster is not None and not (LOCAL_CLUSTER.match(self.cluster) or SCHEDULER_ADDRESS.match(self.cluster)):
            raise UsageError(f"--cluster must be a Dask scheduler's address (tcp://host:8786) or local:N "
                             f"(N worker processes on this machine), not {self.cluster!r}")
        if self.cluster is not None and LOCAL_CLUSTER.match(self.cluster) and not 1 <= int(self.cluster[6:]) <= 1024:
            raise UsageError(f"--cluster local:N needs 1 to 1024 workers, not {self.cluster[6:]}")
        if self.raw_url is not None:
            pass  # whether the store holds that folder is for the listing to say (pipeline/storage.py)
        elif not self.raw.is_dir():
            problem = "is a file, not a folder" if self.raw.exists() else "does not exist"
            raise UsageError(f"the input folder {self.raw} {problem}; put the documents in a folder and pass that")
        if self.out.exists() and not self.out.is_dir():
            raise UsageError(f"the output folder {self.out} is a file; pass a folder (it is created if missing)")
        if self.jobs < 0:
            raise UsageError("--jobs must be 0 (one per core) or more")
        if not (isinstance(self.timeout, (int, float)) and math.isfinite(self.timeout) and self.timeout > 0):
            raise UsageError(f"--timeout must be a positive number of seconds, not {self.timeout}")
        if self.timeout > MAX_TIMEOUT:
            raise UsageError(f"--timeout must be at most {MAX_TIMEOUT:.0f} s (a week), not {self.timeout:g}")
        if self.max_memory is not None and self.max_memory < MIN_MEMORY:
            raise UsageError(f"--max-memory must be at least {size_text(MIN_MEMORY)} (the pipeline itself "
                             f"takes about 200 MB), not {size_text(self.max_memory)}")

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1

    @property
    def engine(self) -> str | None:
        """Where documents are read: None for this machine's worker processes, else a Dask
        cluster. A RAW on a store is read on one (local:N by default): its workers fetch the bytes."""
        return self.cluster or (f"local:{self.workers}" if self.raw_url else None)

    @property
    def memory_budget(self) -> int:
        """Bytes one worker process (and each program it starts) may use."""
        return self.max_memory or default_max_memory(self.workers)
