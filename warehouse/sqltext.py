"""SQL literals the warehouse writes itself: a quoted string, a list of file paths.

Only for values govnews chose (file paths of a snapshot); a user's values are bound as parameters."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def sql_string(s: str) -> str:
    """``'…'`` with quotes doubled."""
    return "'" + s.replace("'", "''") + "'"


def sql_list(paths: Iterable[str | Path]) -> str:
    """``['a', 'b', …]``: a DuckDB list of the paths, for ``read_parquet`` and friends."""
    return "[" + ", ".join(sql_string(str(p)) for p in paths) + "]"
