"""Printing query results: aligned tables (CJK-aware widths, long cells clipped), CSV, JSON lines."""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from datetime import date, datetime
from decimal import Decimal


class UsageError(Exception):
    """Bad input from the user: exit 2 with a one-line message."""


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _clip(s: str, limit: int) -> str:
    s = s.replace("\n", " ⏎ ")
    if _width(s) <= limit:
        return s
    out, w = [], 0
    for c in s:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if w + cw > limit - 1:
            break
        out.append(c)
        w += cw
    return "".join(out) + "…"


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(sep=" ", timespec="minutes") if v.tzinfo else v.isoformat(sep=" ")
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(jsonable(v), ensure_ascii=False)
    return str(v)


def jsonable(v):
    """``v`` with datetimes, decimals, bytes and nested containers made JSON-serialisable."""
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    return v


def _fit(widths: list[int], total: int, floor: int = 8) -> list[int]:
    """Column limits whose sum (plus 2-space gaps) fits ``total``: shrink the widest first."""
    limits = list(widths)
    budget = total - 2 * (len(limits) - 1)
    while sum(limits) > budget:
        i = max(range(len(limits)), key=lambda k: limits[k])
        if limits[i] <= floor:
            break
        limits[i] -= 1
    return limits


def print_table(columns: list[str], rows: list[tuple], out=None, max_cell: int | None = None) -> None:
    """An aligned table; wide (CJK) characters count two columns; long cells end in "…".

    With ``max_cell`` None: cells are clipped to 40 columns, and on a terminal the
    widest columns shrink further until a row fits the window."""
    out = out or sys.stdout
    raw = [[_cell(v).replace("\n", " ⏎ ") for v in row] for row in rows]
    limit = max_cell or 40
    widths = [min(limit, max([_width(c)] + [_width(r[i]) for r in raw])) for i, c in enumerate(columns)]
    if max_cell is None and hasattr(out, "isatty") and out.isatty():
        import shutil

        widths = _fit(widths, shutil.get_terminal_size((120, 24)).columns)
    cells = [[_clip(v, w) for v, w in zip(r, widths)] for r in raw]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    print(line(columns), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in cells:
        print(line(r), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def print_result(columns: list[str], rows: list[tuple], fmt: str, out=None,
                 max_cell: int | None = None) -> None:
    out = out or sys.stdout
    if fmt == "table":
        print_table(columns, rows, out, max_cell=max_cell)
    elif fmt == "csv":
        w = csv.writer(out)
        w.writerow(columns)
        for row in rows:
            w.writerow([_cell(v) for v in row])
    elif fmt in ("json", "jsonl"):
        for row in rows:
            print(json.dumps(jsonable(dict(zip(columns, row))), ensure_ascii=False), file=out)
    else:  # pragma: no cover - argparse restricts choices
        raise UsageError(f"unknown format {fmt}")


def write_parquet_result(table, path, overwrite: bool = True):
    """Write a query result (an Arrow table) to ``path`` atomically (temp name, fsync, rename)."""
    import pyarrow.parquet as pq

    from warehouse.commit import atomic_file

    with atomic_file(path) as fh:
        pq.write_table(table, fh, compression="zstd")
    return path
