"""The progress bar: ends at N/N, every redraw fits the terminal, silent when disabled."""
from __future__ import annotations

import io

from chitieu.pipeline.progress import Progress


def drawn(stream: io.StringIO) -> list[str]:
    return [line for line in stream.getvalue().replace("\n", "\r").split("\r") if line.strip()]


def test_the_bar_ends_at_n_of_n():
    stream = io.StringIO()
    with Progress(60, enabled=True, stream=stream, width=80) as progress:
        for _ in range(60):
            progress.advance()
    assert "60/60" in drawn(stream)[-1]
    assert stream.getvalue().endswith("\n")


def test_every_redraw_fits_a_narrow_terminal():
    stream = io.StringIO()
    with Progress(500, enabled=True, stream=stream, width=40) as progress:
        for _ in range(500):
            progress.advance()
    lines = drawn(stream)
    assert lines and all(len(line) <= 40 for line in lines)
    assert "500/500" in lines[-1]


def test_silent_when_disabled_or_empty():
    stream = io.StringIO()
    for total, enabled in ((10, False), (0, True)):
        with Progress(total, enabled=enabled, stream=stream) as progress:
            progress.advance()
    assert stream.getvalue() == ""
