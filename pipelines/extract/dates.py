"""Publication dates: Chinese text forms, meta values, URLs, relative forms.

Pure functions. Every result is a timezone-aware datetime in Asia/Shanghai
(naive page times are Shanghai times); a date without a time is midnight.
A date after ``fetched_at`` (or now) + 1 day, or before 1990, is rejected:
null rather than a guess.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_EARLIEST = datetime(1990, 1, 1, tzinfo=SHANGHAI)

# 2020年07月06日 08:57 | 2020-07-06 08:57:30 | 2020/07/06 | 2020.07.06 |
# [2020-07-06] | 2020-07-06T08:57:30+08:00 | 2020年7月6日8时57分
DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?P<sep>年|[-/.])\s*(?P<m>\d{1,2})\s*(?:月|(?P=sep))\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:(?:\s*|T)(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?!\d)\s*分?"
    r"(?:\s*[:：]\s*(?P<S>\d{1,2})(?:\.\d+)?\s*秒?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}(?!\d))?)?"
)
# 20200706 / 2020-07-06 written without separators (meta values, t20200706_).
COMPACT_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:(?P<H>[0-2]\d)(?P<M>[0-5]\d)(?P<S>[0-5]\d)?)?(?!\d)")

# URL paths, most specific first.
URL_PATTERNS = (
    re.compile(r"/t(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)_\d+"),  # TRS /202007/t20200706_123.html
    re.compile(r"/art/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"),  # Hanweb /art/2020/7/6/art_1_2.html
    re.compile(r"art_(?P<y>(?:19|20)\d{2})_(?P<m>\d{1,2})_(?P<d>\d{1,2})(?!\d)"),  # art_2020_7_6
    re.compile(r"/(?P<y>(?:19|20)\d{2})[-/_](?P<m>\d{1,2})[-/_](?P<d>\d{1,2})/"),  # /2020/7/6/  /2020-07/06/
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)/"),  # /20200706/
    re.compile(r"[/_](?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)[_\d]*\.s?html?"),  # /c_20200706_123.html
)

RELATIVE_RE = re.compile(r"(?:(?P<n>\d{1,3})\s*(?P<unit>分钟|小时|天|日)前|(?P<word>今天|昨天|前天|刚刚))")


def _limit(fetched_at: datetime | None) -> datetime:
    ref = fetched_at.astimezone(SHANGHAI) if fetched_at and fetched_at.tzinfo else (
        fetched_at.replace(tzinfo=SHANGHAI) if fetched_at else datetime.now(SHANGHAI))
    return ref + timedelta(days=1)


def _build(groups: dict[str, str | None], fetched_at: datetime | None) -> datetime | None:
    try:
        hour = int(groups.get("H") or 0)
        minute = int(groups.get("M") or 0)
        second = int(groups.get("S") or 0)
        tz = groups.get("tz")
        if tz:
            offset = timezone.utc if tz == "Z" else timezone(
                (1 if tz[0] == "+" else -1) * timedelta(hours=int(tz[1:3]), minutes=int(tz[-2:])))
            value = datetime(int(groups["y"]), int(groups["m"]), int(groups["d"]), hour, minute, second,
                             tzinfo=offset).astimezone(SHANGHAI)
        else:
            value = datetime(int(groups["y"]), int(groups["m"]), int(groups["d"]), hour, minute, second,
                             tzinfo=SHANGHAI)
    except (ValueError, TypeError, KeyError):
        return None
    if value < _EARLIEST or value > _limit(fetched_at):
        return None
    return value


def parse_date(text: str, fetched_at: datetime | None = None) -> datetime | None:
    """First valid date (with its time, if written) in ``text``."""
    if not text:
        return None
    for match in DATE_RE.finditer(text):
        value = _build(match.groupdict(), fetched_at)
        if value is not None:
            return value
    return None


def parse_meta_date(value: str, fetched_at: datetime | None = None) -> datetime | None:
    """A meta value: ``2020-07-06 08:57``, ISO with offset, or ``20200706``."""
    found = parse_date(value, fetched_at)
    if found is not None:
        return found
    match = COMPACT_RE.search(value or "")
    return _build(match.groupdict(), fetched_at) if match else None


def date_from_url(url: str, fetched_at: datetime | None = None) -> datetime | None:
    """Date written in the URL path (day precision)."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in URL_PATTERNS:
        match = pattern.search(path)
        if match:
            value = _build(match.groupdict(), fetched_at)
            if value is not None:
                return value
    return None


def parse_relative(text: str, fetched_at: datetime | None) -> datetime | None:
    """``3天前``, ``昨天``, ``5小时前`` against ``fetched_at`` (None without it)."""
    if fetched_at is None or not text:
        return None
    match = RELATIVE_RE.search(text)
    if not match:
        return None
    ref = fetched_at.astimezone(SHANGHAI) if fetched_at.tzinfo else fetched_at.replace(tzinfo=SHANGHAI)
    word, unit = match.group("word"), match.group("unit")
    if word:
        days = {"今天": 0, "刚刚": 0, "昨天": 1, "前天": 2}[word]
        if word == "刚刚":
            return ref.replace(second=0, microsecond=0)
        return (ref - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    n = int(match.group("n"))
    if unit == "分钟":
        return (ref - timedelta(minutes=n)).replace(second=0, microsecond=0)
    if unit == "小时":
        return (ref - timedelta(hours=n)).replace(second=0, microsecond=0)
    return (ref - timedelta(days=n)).replace(hour=0, minute=0, second=0, microsecond=0)


def page_has_day(text: str, day: datetime) -> bool:
    """Whether ``text`` writes ``day`` (used to vet htmldate's YYYY-01-01)."""
    for match in DATE_RE.finditer(text):
        try:
            if (int(match["y"]), int(match["m"]), int(match["d"])) == (day.year, day.month, day.day):
                return True
        except ValueError:
            continue
    return False


def htmldate_guess(html: str, page_text: str, fetched_at: datetime | None = None) -> datetime | None:
    """htmldate's original date, minus its year-only ``YYYY-01-01`` fallback."""
    try:
        from htmldate import find_date
        found = find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate raises on odd markup; a missing date is fine
        return None
    if not found:
        return None
    value = parse_meta_date(found, fetched_at)
    if value is None:
        return None
    if value.month == 1 and value.day == 1 and not page_has_day(page_text, value):
        return None
    return value
