"""How a run is called: its settings, checked where they are made, and the errors that mean
chitieu cannot run at all (exit status 2), as opposed to documents that failed (exit 1)."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path


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

    def __post_init__(self):
        if not self.raw.is_dir():
            problem = "is a file, not a folder" if self.raw.exists() else "does not exist"
            raise UsageError(f"the input folder {self.raw} {problem}; put the documents in a folder and pass that")
        if self.out.exists() and not self.out.is_dir():
            raise UsageError(f"the output folder {self.out} is a file; pass a folder (it is created if missing)")
        if self.jobs < 0:
            raise UsageError("--jobs must be 0 (one per core) or more")
        if not (isinstance(self.timeout, (int, float)) and math.isfinite(self.timeout) and self.timeout > 0):
            raise UsageError(f"--timeout must be a positive number of seconds, not {self.timeout}")

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1
