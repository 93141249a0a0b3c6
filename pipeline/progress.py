"""A progress bar for long runs on a terminal; silent elsewhere (logs, CI, pipes).

tqdm draws it: one line that fits the terminal however wide it is (and follows a resize),
the rate and the time left, and N/N when the run is done.
"""
from __future__ import annotations

import sys


class Progress:
    def __init__(self, total: int, enabled: bool, stream=None, width: int | None = None):
        self.total, self.done = total, 0
        self._bar = None
        if enabled and total > 0:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=stream or sys.stderr, desc="chitieu", unit=" documents",
                             ncols=width, dynamic_ncols=width is None, mininterval=0.25, leave=True)

    def __enter__(self) -> Progress:
        return self

    def advance(self) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.update(1)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()  # draws the last state: N/N after a full run
