"""The lock on an output folder: one run (or report render) at a time writes into OUT.

Its own module so that the run's outputs and the report, which both take it, do not import
each other."""
from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import socket
import time
from pathlib import Path

from .settings import UsageError

log = logging.getLogger("chitieu")

LOCK_NAME = ".chitieu.lock"
# What a full or over-quota disk says when a write does not fit.
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class OutLock:
    """An exclusive lock on OUT for the length of a run (flock: the system lets go of it when
    the process ends, however it ends). A second run exits with a sentence naming the first,
    or with `wait` waits for it. Taking it is also where an unwritable OUT is found out."""

    def __init__(self, out: Path, raw: Path, wait: bool = False):
        self.out, self.raw, self.wait = out, raw, wait
        self.fd: int | None = None

    def __enter__(self) -> OutLock:
        path = self.out / LOCK_NAME
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as e:
            raise UsageError(f"cannot write into the output folder {self.out} ({e.strerror or e}); "
                             f"pass a folder you may write to") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._holder()
            if not self.wait:
                os.close(self.fd)
                raise UsageError(f"{holder} is writing into {self.out}; wait until it ends, or pass --wait "
                                 f"to start when it does") from None
            log.warning("waiting for %s to end: it is writing into %s", holder, self.out)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        me = {"pid": os.getpid(), "host": socket.gethostname(), "raw": str(self.raw.resolve()),
              "started": time.strftime("%Y-%m-%d %H:%M:%S")}
        try:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, json.dumps(me).encode("utf-8"), 0)
        except OSError as e:
            self.__exit__()
            if e.errno in DISK_FULL:
                raise UsageError(disk_full_sentence(self.out, e)) from None
            raise UsageError(f"cannot write into the output folder {self.out} ({e.strerror or e}); "
                             f"pass a folder you may write to") from None
        return self

    def _holder(self) -> str:
        try:
            info = json.loads(os.pread(self.fd, 4096, 0).decode("utf-8"))
            return (f"another chitieu run (process {info['pid']} on {info['host']}, started {info['started']}, "
                    f"reading {info['raw']})")
        except (OSError, ValueError, KeyError, TypeError):
            return "another chitieu run"

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)  # and with it the lock; the file stays, for the next run to lock
            self.fd = None


def disk_full_sentence(out: Path, error: OSError) -> str:
    return (f"the disk holding {out} is full ({error.strerror or error}); nothing was written and the "
            f"previous outputs are unchanged: free some space and run again")


