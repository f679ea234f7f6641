"""The allow-lists every URL parameter passes before it is used (always as a bound SQL value or a
lookup key, never as a filesystem path). A value that fails is a 400 with one line."""

from __future__ import annotations

import re
from datetime import date

MAX_TEXT = 2000  # characters of any free-text parameter (a URL, search terms, a column name)
MAX_SQL = 20_000
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class BadInput(ValueError):
    """A parameter outside its allow-list (the message is shown to the user, escaped)."""


def text(value: str | None, name: str, *, limit: int = MAX_TEXT, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise BadInput(f"{name} is required")
        return None
    if len(value) > limit:
        raise BadInput(f"{name} is longer than {limit} characters")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value) or "\x7f" in value:
        raise BadInput(f"{name} holds control characters")
    return value


def slug(value: str | None, known: set[str], name: str = "site") -> str | None:
    """A site slug that the registry or the archive knows (anything else is refused)."""
    value = text(value, name, limit=64)
    if value is None:
        return None
    if not SLUG.match(value) or value not in known:
        raise BadInput(f"unknown {name}: {value[:64]!r}")
    return value


def month(value: str | None) -> str | None:
    value = text(value, "month", limit=7)
    if value is not None and not MONTH.match(value):
        raise BadInput("month wants YYYY-MM")
    return value


def month_range(value: str | None) -> tuple[date, date] | tuple[None, None]:
    m = month(value)
    if m is None:
        return None, None
    y, mo = int(m[:4]), int(m[5:])
    first = date(y, mo, 1)
    nxt = date(y + (mo == 12), mo % 12 + 1, 1)
    return first, date.fromordinal(nxt.toordinal() - 1)


def integer(value: str | None, name: str, *, default: int, lo: int, hi: int) -> int:
    if value is None or value == "":
        return default
    if len(value) > 9 or not (value.isascii() and value.isdigit()):
        raise BadInput(f"{name} wants a whole number between {lo} and {hi}")
    n = int(value)
    if not lo <= n <= hi:
        raise BadInput(f"{name} wants a whole number between {lo} and {hi}")
    return n


def choice(value: str | None, name: str, allowed: tuple[str, ...], default: str) -> str:
    if value is None or value == "":
        return default
    if value not in allowed:
        raise BadInput(f"{name} is one of {', '.join(allowed)}")
    return value
