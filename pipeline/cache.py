"""Results per document, keyed by the SHA-256 of its bytes, its format (the extension picks
the reader: the bytes of a .docx named .txt are a failure, not the .docx's targets) and the
pipeline's own code.

Every file is hashed on every run (streamed; it costs less than reading the document): a file
edited to the same size with its timestamp put back is still seen to have changed. An entry
is checked for its shape before use; one that is not a result (torn, edited, of another
version) is dropped and the document read again. Failures are cached like any result: a file
that kills its reader or runs out of time is not tried again on every run (`--retry-failed`
does), except that a time-out is tried again under a longer `--timeout`.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
from functools import cache
from pathlib import Path

from .extract import DocumentResult
from .inputs import open_regular
from .schema import ACTUAL_FIELDS, LEFT_OUT_FIELDS, DOCUMENT_FIELDS, TARGET_FIELDS
from .writers import atomic_write

log = logging.getLogger("chitieu")

PACKAGES = ("chitieu", "pipeline", "parsers", "normalizers")  # in a checkout; the wheel nests them in chitieu/
DISTRIBUTION = "chitieu"
# The tail of the sentence of a document that failed by its time limit (pool.time_out_result).
TIME_OUT_TAIL = "check the file, or raise the limit with --timeout"


# ---------------------------------------------------------------------------- identity


def file_format(path: Path | str) -> str:
    """The format of a file as its extension names it, which picks its reader.

    >>> file_format("a/Plan.DOCX"), file_format("README")
    ('docx', 'none')
    """
    return Path(path).suffix.lower().lstrip(".") or "none"


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (memory stays flat)."""
    with os.fdopen(open_regular(path), "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _own_files() -> list[tuple[str, Path]]:
    """chitieu's own .py and .toml files: those its installed distribution lists (RECORD),
    or, run from a source tree (an editable install), those of its package folders."""
    here = Path(__file__).resolve()
    try:
        listed = importlib.metadata.distribution(DISTRIBUTION).files or []
    except importlib.metadata.PackageNotFoundError:
        listed = []
    own = {}
    for f in listed:
        if f.parts and f.parts[0] in PACKAGES and f.suffix in (".py", ".toml"):
            own[Path(f.locate()).resolve()] = f.as_posix()
    if here in own:  # this very module was installed from the distribution
        return sorted((name, path) for path, name in own.items())
    root = here.parents[1]
    return sorted(
        (path.relative_to(root).as_posix(), path)
        for package in PACKAGES for path in (root / package).rglob("*")
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts
    )


@cache
def pipeline_fingerprint() -> str:
    """A hash of chitieu's own code and word tables: a cached result is reused only by the
    same pipeline that made it."""
    digest = hashlib.sha256()
    for name, path in _own_files():
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------------------- entries


_KINDS = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}


def _fits(record, fields) -> bool:
    if not isinstance(record, dict) or len(record) != len(fields):
        return False
    for f in fields:
        value = record.get(f.name, ...)
        if value is None:
            continue
        if value is ... or not isinstance(value, _KINDS[f.type]):
            return False
        if isinstance(value, bool) and f.type != "boolean":
            return False
    return True


def is_result(data) -> bool:
    """Whether decoded JSON has the shape of a cached result (each column of its type)."""
    return (isinstance(data, dict) and _fits(data.get("document"), DOCUMENT_FIELDS)
            and isinstance(data.get("targets"), list)
            and all(_fits(t, TARGET_FIELDS) for t in data["targets"])
            and isinstance(data.get("actuals"), list)
            and all(_fits(a, ACTUAL_FIELDS) for a in data["actuals"])
            and isinstance(data.get("left_out"), list)
            and all(_fits(k, LEFT_OUT_FIELDS) for k in data["left_out"])
            and (data.get("limit") is None or isinstance(data["limit"], (int, float))))


def relabel(result: DocumentResult, source: str) -> DocumentResult:
    """The result as the file at `source` gives it: the same bytes may sit at another path,
    and the file named at the head of its error sentence is the current one."""
    document = result.document
    old = document["source"]
    if old == source:
        return result
    if document["error"] and document["error"].startswith(f"{old}: "):
        document["error"] = f"{source}: {document['error'][len(old) + 2:]}"
    document["source"] = source
    for t in result.targets:
        t["source"] = source
    for a in result.actuals:
        a["source"] = source
    for k in result.left_out:
        k["source"] = source
    return result


def is_time_out(result: DocumentResult) -> bool:
    return result.document["status"] == "failed" and (result.document["error"] or "").endswith(TIME_OUT_TAIL)


class ResultCache:
    """One JSON file per document result under `folder`: `<sha>-<pipeline>.<format>.json` for
    a document that was read, `<sha>-<pipeline>.<format>.failed.json` for one that failed. The
    same bytes under another extension are another document."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _entry(self, sha: str, fmt: str, failed: bool) -> Path:
        if not (fmt.isascii() and fmt.isalnum() and len(fmt) <= 12):  # any name may end a file
            fmt = "x" + hashlib.sha256(fmt.encode("utf-8", "surrogateescape")).hexdigest()[:12]
        return self.folder / sha[:2] / f"{sha}-{pipeline_fingerprint()}.{fmt}{'.failed' if failed else ''}.json"

    def _load(self, path: Path) -> dict | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            data = None
        if not is_result(data):
            log.info("%s: not a cached result; it is dropped and the document read again", path.name)
            path.unlink(missing_ok=True)
            return None
        return data

    def lookup(self, sha: str, fmt: str, timeout: float, retry_failed: bool = False) -> dict | None:
        """The usable cached entry of these bytes in this format, or None: a failure is not
        used with `retry_failed`, a time-out not under a longer limit than it failed by."""
        data = self._load(self._entry(sha, fmt, failed=False))
        if data is not None:
            return data
        if retry_failed:
            return None
        data = self._load(self._entry(sha, fmt, failed=True))
        if data is not None and data.get("limit") is not None and data["limit"] < timeout:
            return None
        return data

    def read_entry(self, sha: str, fmt: str) -> Path | None:
        """The file of the result read from these bytes in this format, if there is one (a
        failure's is not: a failure is cheap to take again, and its use depends on the limit)."""
        path = self._entry(sha, fmt, failed=False)
        return path if path.is_file() else None

    def has(self, sha: str, fmt: str, timeout: float, retry_failed: bool = False) -> bool:
        """Whether a result of these bytes in this format may be used (a result that was
        read is checked only when it is taken: a bad one is then read again)."""
        if self._entry(sha, fmt, failed=False).is_file():
            return True
        return not retry_failed and self.lookup(sha, fmt, timeout) is not None

    def get(self, sha: str, fmt: str, source: str, timeout: float,
            retry_failed: bool = False) -> DocumentResult | None:
        data = self.lookup(sha, fmt, timeout, retry_failed)
        if data is None:
            return None
        return relabel(DocumentResult(data["document"], data["targets"], data["actuals"], data["left_out"]), source)

    def put(self, result: DocumentResult, timeout: float) -> None:
        """Remember a result under the SHA-256 of the bytes it was read from. A disk that
        cannot take it costs only a re-read next time."""
        sha = result.document["sha256"]
        if not sha:  # the file could not even be opened: nothing to key it by
            return
        failed, fmt = result.document["status"] == "failed", result.document["format"]
        data = {"document": result.document, "targets": result.targets, "actuals": result.actuals,
                "left_out": result.left_out,
                "limit": timeout if is_time_out(result) else None}
        text = json.dumps(data, ensure_ascii=False)
        try:
            atomic_write(self._entry(sha, fmt, failed), text.encode("utf-8"), durable=False)
            self._entry(sha, fmt, not failed).unlink(missing_ok=True)
        except OSError as e:
            log.warning("%s: its result could not be cached (%s)", result.document["source"], e.strerror or e)

    def clean(self) -> None:
        """Temporary files a killed run left behind."""
        for path in self.folder.glob("*/.*.tmp"):
            path.unlink(missing_ok=True)
