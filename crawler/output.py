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
        return json.dumps(_jsonable(v), ensure_ascii=False)
    return str(v)


def _jsonable(v):
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def print_table(columns: list[str], rows: list[tuple], out=sys.stdout, max_cell: int = 40) -> None:
    cells = [[_clip(_cell(v), max_cell) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    print(line(columns), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in cells:
        print(line(r), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def print_result(columns: list[str], rows: list[tuple], fmt: str, out=sys.stdout) -> None:
    if fmt == "table":
        print_table(columns, rows, out)
    elif fmt == "csv":
        w = csv.writer(out)
        w.writerow(columns)
        for row in rows:
            w.writerow([_cell(v) for v in row])
    elif fmt == "json":
        for row in rows:
            print(json.dumps(_jsonable(dict(zip(columns, row))), ensure_ascii=False), file=out)
    else:  # pragma: no cover - argparse restricts choices
        raise UsageError(f"unknown format {fmt}")


