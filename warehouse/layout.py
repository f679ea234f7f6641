"""Where things live inside an archive root (hive-style folders).

``articles/site=<slug>/month=<YYYY-MM>/*.parquet`` (and the same for ``captures``):
the files do not repeat the folder keys (see :mod:`warehouse.schema`), so every
Parquet reader that understands hive folders reads a table's folder as it is.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_ROOT = "archive"
ENV_ROOT = "GOVNEWS_ARCHIVE"

# A site slug names folders and files (``site=<slug>``, ``runs/<run_id>-<slug>-<event>.parquet``):
# ASCII lower-case words joined by single hyphens, starting with a letter (a digits-only folder
# value would be typed as a number by hive partitioning), short enough for any file name.
SLUG = re.compile(r"\A[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
SLUG_MAX = 64
_MONTH = re.compile(r"\A[0-9]{4}-[0-9]{2}\Z")


def valid_slug(slug: object) -> bool:
    return isinstance(slug, str) and len(slug) <= SLUG_MAX and SLUG.match(slug) is not None


def default_root() -> Path:
    """``$GOVNEWS_ARCHIVE`` when set, else ``./archive``."""
    return Path(os.environ.get(ENV_ROOT) or DEFAULT_ROOT)


def new_run_id(now: datetime | None = None) -> str:
    """A sortable id unique to this writer process: ``20260101T060000Z-<8 hex>``."""
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Layout:
    root: Path

    @classmethod
    def at(cls, root: str | os.PathLike[str] | None = None) -> "Layout":
        return cls(Path(root) if root is not None else default_root())

    def table_dir(self, table: str) -> Path:
        return self.root / table

    def partition_dir(self, table: str, site: str, month: str) -> Path:
        if not valid_slug(site):
            raise ValueError(f"bad site slug for a partition: {site!r}")
        if not _MONTH.match(month):
            raise ValueError(f"bad month for a partition: {month!r}")
        return self.root / table / f"site={site}" / f"month={month}"

    def data_file(self, table: str, site: str, month: str, run_id: str, seq: int) -> Path:
        return self.partition_dir(table, site, month) / f"{run_id}-{seq:05d}.parquet"

    def runs_file(self, run_id: str, site: str, event: str) -> Path:
        return self.root / "runs" / f"{run_id}-{site}-{event}.parquet"

    def warc_dir(self, site: str, month: str) -> Path:
        return self.root / "warc" / f"site={site}" / month

    def state_dir(self) -> Path:
        return self.root / "state"

    def temp_dir(self) -> Path:
        """Where writers build files before renaming them into a table folder (outside every table)."""
        return self.root / "state" / "tmp"

    def glob(self, table: str) -> str:
        """The glob readers use; temp files (``.*.tmp``) never match it."""
        if table == "runs":
            return str(self.root / "runs" / "*.parquet")
        return str(self.root / table / "*" / "*" / "*.parquet")

    def has_files(self, table: str) -> bool:
        base = self.root / table
        if not base.is_dir():
            return False
        pattern = "*.parquet" if table == "runs" else "*/*/*.parquet"
        return any(p for p in base.glob(pattern) if not p.name.startswith("."))


def hostname() -> str:
    return socket.gethostname()
