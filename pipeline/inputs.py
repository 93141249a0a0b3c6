"""Which files under raw/ are documents, and why some of them cannot be read at all.

Every entry gets a row: a link, a named pipe or a folder that cannot be opened is listed with
a sentence, never silently left out and never a reason to stop. A link is followed only to a
file inside raw/ (a link to a file elsewhere would put that file's content in the outputs);
links to folders are not followed (they can loop). A file name whose bytes are not UTF-8 is
written with its odd bytes as \\xNN, so that the outputs stay UTF-8.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

CORRECTIONS_NAME = "corrections.csv"


@dataclass(frozen=True)
class Found:
    path: Path
    source: str  # the path relative to raw/, with '/', as the outputs write it
    problem: str | None = None  # why it cannot be read: the rest of its error sentence


def display_source(relative: str) -> str:
    """A path as valid UTF-8 text: bytes of the name that are not UTF-8 become \\xNN.

    >>> display_source(os.fsdecode(b"k\\xe9 ho\\xe1ch.txt"))
    'k\\\\xe9 ho\\\\xe1ch.txt'
    """
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"))


def discover(raw: Path, out: Path | None = None, outputs: tuple[str, ...] = ()) -> list[Found]:
    """Every entry under raw/ at any depth, in a stable order; hidden files, the corrections
    file and our own outputs (when `out` is raw/ or inside it) are not documents."""
    root = raw.resolve()
    out_parts = None
    if out is not None and out.resolve().is_relative_to(root):
        out_parts = out.resolve().relative_to(root).parts
    found: list[Found] = []

    def add(path: Path, parts: tuple[str, ...], problem: str | None = None) -> None:
        found.append(Found(path, display_source("/".join(parts)), problem))

    def walk(folder: Path, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as e:
            add(folder, parts + ("",), f"the folder cannot be opened ({e.strerror or e}), so its files were "
                                       f"not read; check that you may read it and that its path is not too long")
            return
        for entry in entries:
            name = entry.name
            if name.startswith((".", "~$")):
                continue
            path, here = Path(entry.path), parts + (name,)
            if not parts and name == CORRECTIONS_NAME:
                continue
            if out_parts is not None and parts == out_parts and name in outputs:
                continue
            try:
                if entry.is_symlink():
                    problem = _link_problem(path, root)
                    if problem == "folder":
                        add(path, here, "it is a link to a folder, and links to folders are not followed; "
                                        "move or copy the folder into the input folder to read it")
                    else:
                        add(path, here, problem)
                elif entry.is_dir(follow_symlinks=False):
                    walk(path, here)
                elif entry.is_file(follow_symlinks=False):
                    add(path, here)
                else:
                    mode = entry.stat(follow_symlinks=False).st_mode
                    kind = next((k for test, k in _KINDS if test(mode)), "not a regular file")
                    add(path, here, f"it is {kind}, not a file; put the document itself in the folder")
            except OSError as e:
                add(path, here, f"it cannot be examined ({e.strerror or e}); check that you may read it")

    walk(raw, ())
    return sorted(found, key=lambda f: f.source)


def _link_problem(path: Path, root: Path) -> str | None:
    """None for a link to a file inside raw/; "folder" for a link to a folder; else why
    the link is not read."""
    target = Path(os.path.realpath(path))
    if not target.exists():
        return "it is a link to a file that does not exist; put the document itself in the folder"
    if target.is_dir():
        return "folder"
    if not target.is_relative_to(root):
        return ("it is a link to a file outside the input folder, which is not read; "
                "copy the file itself into the input folder to read it")
    if not target.is_file():
        return "it is a link to something that is not a file; put the document itself in the folder"
    return None
