"""Printing query results: aligned tables (CJK-aware widths, fitted to a terminal, whole into a pipe), CSV, JSON lines."""

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


def human_bytes(n: int) -> str:
    """``195530752`` -> ``195.5 MB`` (decimal units, as ``ls -h --si`` and disk makers count)."""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n} B" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} PB"  # pragma: no cover - the loop returns


def _is_bytes_column(name: str) -> bool:
    return name == "bytes" or name.endswith("_bytes")


def _fit_terminal(columns: list[str], widths: list[int], total: int) -> tuple[list[int], list[int]]:
    """The columns to show (indices) and their widths on a terminal ``total`` wide.

    The widest columns shrink (down to 8, or the header) first; when even that does not fit,
    columns are dropped from the right (the caller says which)."""
    floors = [max(min(8, w), min(_width(c), 12)) for c, w in zip(columns, widths)]
    keep = list(range(len(columns)))
    while True:
        limits = [widths[i] for i in keep]
        budget = total - 2 * (len(keep) - 1)
        while sum(limits) > budget:
            j = max(range(len(limits)), key=lambda k: limits[k] - floors[keep[k]])
            if limits[j] <= floors[keep[j]]:
                break
            limits[j] -= 1
        if sum(limits) <= budget or len(keep) == 1:
            return keep, limits
        keep.pop()


def print_table(columns: list[str], rows: list[tuple], out=None, max_cell: int | None = None) -> None:
    """An aligned table; wide (CJK) characters count two columns; ``*_bytes`` values in kB/MB/GB.

    On a terminal the table fits the window: the widest columns are clipped ("…") first, and
    columns that still do not fit are left out (a last line names them). Into a file or a pipe
    every value is whole (a URL can be pasted into ``govnews show``). ``max_cell`` clips every
    cell to that many columns either way."""
    out = out or sys.stdout
    human = [_is_bytes_column(c) for c in columns]
    raw = [[human_bytes(v) if h and isinstance(v, int) and not isinstance(v, bool) else _cell(v).replace("\n", " ⏎ ")
            for v, h in zip(row, human)] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in raw]) for i, c in enumerate(columns)]
    if max_cell:
        widths = [min(max_cell, w) for w in widths]
    keep = list(range(len(columns)))
    window = None
    if hasattr(out, "isatty") and out.isatty():
        import shutil

        window = shutil.get_terminal_size((120, 24)).columns
        keep, widths = _fit_terminal(columns, widths, window)
    hidden = [columns[i] for i in range(len(columns)) if i not in keep]
    shown = [columns[i] for i in keep]
    cells = [[_clip(r[i], w) for i, w in zip(keep, widths)] for r in raw]
    heads = [_clip(c, w) for c, w in zip(shown, widths)]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(heads)]

    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    print(line(heads), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in cells:
        print(line(r), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)
    if hidden:
        note = f"(not shown: {', '.join(hidden)}; --format csv shows every column)"
        print(_clip(note, window) if window else note, file=out)


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
