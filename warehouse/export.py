"""Dataset exports of the ``articles`` view, written by govnews (never by user SQL).

The output folder is built under a hidden temporary name beside ``out`` and
renamed into place when complete, so an export is either whole or absent.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from warehouse.commit import fsync_dir
from warehouse.db import connect
from warehouse.layout import Layout

FORMATS = {
    "parquet": ("articles.parquet", "FORMAT parquet, COMPRESSION zstd"),
    "csv": ("articles.csv", "FORMAT csv, HEADER true"),
    "jsonl": ("articles.jsonl", "FORMAT json"),
}
ORDER = "ORDER BY site, published_at NULLS LAST, url_key"


class ExportError(ValueError):
    pass


@dataclass
class ExportResult:
    out: Path
    files: list[Path]
    rows: int


def export_articles(layout: Layout, out: Path, fmt: str, *, overwrite: bool = False,
                    versions: bool = False) -> ExportResult:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    out = Path(out)
    if out.exists() and not overwrite:
        raise ExportError(f"{out} exists; choose another --out or pass --overwrite")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    name, options = FORMATS[fmt]
    view = "article_versions" if versions else "articles"
    con = connect(layout)
    try:
        rows = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
        target = str(tmp / name).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {view} {ORDER}) TO '{target}' ({options})")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        con.close()
    for p in tmp.iterdir():
        with open(p, "rb") as fh:
            os.fsync(fh.fileno())
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, out)
    fsync_dir(out.parent)
    return ExportResult(out=out, files=sorted(out.iterdir()), rows=rows)
