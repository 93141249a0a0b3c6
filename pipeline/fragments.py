"""A document's share of every output, encoded once and kept beside its cached result (issue 24):
a re-run appends the bytes of the documents that did not change instead of reading their
results, linking their rows and encoding them again.

    OUT/.cache/fragments/<key[:2]>/<key>.bin

The key is a hash of what the share is made from: the cached result's file (its name holds
the pipeline's fingerprint, its bytes the result), the path the document has now (rows carry
it) and the corrections that name that path. A fragment that does not check out (torn,
edited, of another version) is dropped and the document's share made again from its result.

A fragment holds, for each row table (targets, actuals, left_out, documents): the CSV bytes,
the JSON lines the Parquet writer reads, the sheet's cells and their lengths; the report's
summary and rows' file; the linker's records; the counts the summary line needs.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from .writers import atomic_write

log = logging.getLogger("chitieu")

FOLDER = "fragments"
_MAGIC = b"chitieu-fragment-1\n"
TABLES = ("targets", "actuals", "left_out", "documents")


@dataclass
class Fragment:
    document: dict  # its documents row, corrections counted
    statuses: dict[str, int]  # of its target rows
    csv: dict[str, bytes]  # table → rows as CSV
    parquet: dict[str, bytes]  # table → rows as JSON lines
    sheets: dict[str, tuple[bytes, list]]  # table → (cells, lengths)
    report: dict  # its summary in the report
    script: bytes | None  # its rows' file in the report
    jurisdiction: str | None
    links: bytes  # the linker's records (JSON lines, link_spill.link_lines)
    applied: int  # corrections applied
    stale: list[dict]  # corrections held back

    def to_bytes(self) -> bytes:
        blobs = [*(self.csv[t] for t in TABLES), *(self.parquet[t] for t in TABLES),
                 *(self.sheets[t][0] for t in TABLES), self.script or b"", self.links]
        head = {"document": self.document, "statuses": self.statuses, "lengths": [self.sheets[t][1] for t in TABLES],
                "report": self.report, "has_script": self.script is not None, "jurisdiction": self.jurisdiction,
                "applied": self.applied, "stale": self.stale, "blobs": [len(b) for b in blobs]}
        body = json.dumps(head, ensure_ascii=False).encode("utf-8")
        payload = len(body).to_bytes(8, "little") + body + b"".join(blobs)
        return _MAGIC + hashlib.sha256(payload).digest() + payload

    @classmethod
    def from_bytes(cls, data: bytes) -> Fragment | None:
        """The fragment, or None when the bytes are not one whole fragment of this version."""
        if not data.startswith(_MAGIC):
            return None
        digest, payload = data[len(_MAGIC):len(_MAGIC) + 32], data[len(_MAGIC) + 32:]
        if hashlib.sha256(payload).digest() != digest:
            return None
        size = int.from_bytes(payload[:8], "little")
        head = json.loads(payload[8:8 + size])
        blobs, at = [], 8 + size
        for length in head["blobs"]:
            blobs.append(payload[at:at + length])
            at += length
        n = len(TABLES)
        return cls(document=head["document"], statuses=head["statuses"], csv=dict(zip(TABLES, blobs[:n])),
                   parquet=dict(zip(TABLES, blobs[n:2 * n])),
                   sheets={t: (b, lengths) for t, b, lengths in zip(TABLES, blobs[2 * n:3 * n], head["lengths"])},
                   report=head["report"], script=blobs[3 * n] if head["has_script"] else None,
                   jurisdiction=head["jurisdiction"], links=blobs[3 * n + 1], applied=head["applied"], stale=head["stale"])


class FragmentStore:
    """Fragments under the result cache's folder, keyed by what they are made from."""

    def __init__(self, cache_folder: Path):
        self.folder = cache_folder / FOLDER

    @staticmethod
    def key(entry: Path | None, source: str, corrections: list) -> str | None:
        """The key of a document's share: None when it has no cached result to be keyed by."""
        if entry is None:
            return None
        try:
            with open(entry, "rb") as f:
                entry_digest = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError:
            return None
        text = json.dumps([_MAGIC.decode(), entry.name, entry_digest, source,
                           [asdict(c) for c in corrections]], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.bin"

    def get(self, key: str | None) -> Fragment | None:
        if key is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            fragment = Fragment.from_bytes(data)
        except (ValueError, KeyError, TypeError, IndexError):
            fragment = None
        if fragment is None:
            log.info("%s: not a whole fragment; it is dropped and made again", path.name)
            path.unlink(missing_ok=True)
        return fragment

    def put(self, key: str | None, fragment: Fragment) -> None:
        """Keep a fragment; a disk that cannot take it costs only making it again next time."""
        if key is None:
            return
        try:
            atomic_write(self._path(key), fragment.to_bytes(), durable=False)
        except OSError as e:
            log.info("a fragment could not be kept (%s)", e.strerror or e)
