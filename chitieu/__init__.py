"""chitieu: Vietnamese planning documents into typed datasets of targets and what was reached.

    >>> import chitieu
    >>> result = chitieu.extract("raw")                               # doctest: +SKIP
    >>> result.scorecard[result.scorecard["verdict"] == "not_met"]    # doctest: +SKIP
    >>> chitieu.read("raw/ke-hoach-2025.docx").targets                # doctest: +SKIP

`extract` reads a folder, `read` one file; both return an `Extraction` whose `targets`,
`documents`, `actuals`, `indicators`, `scorecard` and `left_out` are pandas DataFrames with
Arrow-backed columns of the SPEC's types. A document that cannot be read is a `documents` row
with status `failed`; `UsageError` and `CorrectionsError` are what stops a run.

The code lives in three packages, `chitieu.pipeline`, `chitieu.parsers` and
`chitieu.normalizers`, which import one another relatively: a folder of the user's named
`pipeline/` cannot stand in for them.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

# In a checkout (the project's own layout) the three packages sit beside this folder; the
# wheel installs them inside it.
_here = Path(__file__).resolve().parent
if not (_here / "pipeline").is_dir() and (_here.parent / "pipeline" / "cli.py").is_file():
    __path__.append(str(_here.parent))  # noqa: F821 (a package's own __path__)

# The one place the version is written: pyproject.toml reads it from here (setuptools' attr:),
# and `chitieu --version` answers without importing importlib.metadata (a third of start-up).
__version__ = "0.1.0"

if TYPE_CHECKING:
    from .pipeline.api import CorrectionsError, Extraction, UsageError, extract, read

__all__ = ["extract", "read", "Extraction", "UsageError", "CorrectionsError", "__version__"]


def __getattr__(name: str):
    # The pipeline (pandas, pyarrow, the readers) is imported when first used, so that
    # `import chitieu` and `chitieu --version` stay quick.
    if name in __all__:
        from .pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'chitieu' has no attribute {name!r}")
