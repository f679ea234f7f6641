"""What both demo families share: the article model, seeded helpers, and the writers of files and expectations."""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from crawler.demo.families.text import GBK_NAMES, GENERIC_SENTENCES, TOPICS

GBK_MARKERS = "镕堃喆祎玥犇"  # in GBK, not in GB2312: a wrong decode shows

# --------------------------------------------------------------------------- model


@dataclass
class Article:
    site: str
    host: str
    column: str
    col_key: str
    title: str
    dt: datetime
    has_time: bool
    source: str
    paragraphs: list[str]  # expected body paragraphs (plain text, stripped)
    authors: list[str] = field(default_factory=list)
    author_in_info: str = ""
    editor: str | None = None
    attachments: list[dict] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    body_html: str = ""  # rendered body container inner HTML
    encoding: str = "utf-8"
    pinned: bool = False
    id: int = 0
    url: str = ""
    path: str = ""  # file path under the host dir
    date_style: int = 0
    keywords: str = ""

    @property
    def body_text(self) -> str:
        """Paragraphs as published; an "附件：" link list is not body text (it becomes attachments)."""
        return "\n".join(self.body_paragraphs)

    @property
    def body_paragraphs(self) -> list[str]:
        return [p for p in self.paragraphs if not (self.attachments and p.startswith("附件："))]


def _pick(rng: random.Random, seq):
    return seq[int(rng.random() * len(seq))]


def _int(rng: random.Random, lo: int, hi: int) -> int:
    return lo + int(rng.random() * (hi - lo + 1))


def _fill(rng: random.Random, template: str, ctx: dict) -> str:
    values = {
        "n": _int(rng, 12, 980), "k": _int(rng, 3, 36), "pct": _int(rng, 85, 98),
        "pct2": _int(rng, 90, 99), "n4": f"{_int(rng, 1000, 9999)}",
        "gbk": _pick(rng, GBK_NAMES),
    }
    values.update(ctx)
    return template.format(**values)


def _dates(rng: random.Random, count: int, start: date, end: date) -> list[datetime]:
    """``count`` distinct datetimes spread over [start, end], newest first."""
    span = (end - start).days
    out: set[datetime] = set()
    for i in range(count):
        lo = start + timedelta(days=span * i // count)
        day = lo + timedelta(days=_int(rng, 0, max(0, span // count - 1)))
        dt = datetime(day.year, day.month, day.day, _int(rng, 8, 18), _int(rng, 0, 59))
        while dt in out:
            dt += timedelta(minutes=7)
        out.add(dt)
    return sorted(out, reverse=True)


def _compose(rng: random.Random, topic: str, ctx: dict, n_paras: int, lead: str) -> tuple[str, list[str]]:
    """Title + ``n_paras`` paragraphs; no sentence template is used twice in one article."""
    titles, sentences = TOPICS[topic]
    title = _fill(rng, _pick(rng, titles), ctx)
    topic_pool = list(sentences)
    generic_pool = list(GENERIC_SENTENCES)
    rng.shuffle(topic_pool)
    rng.shuffle(generic_pool)
    pool = topic_pool + generic_pool
    paras = []
    for i in range(n_paras):
        count = 1 if n_paras == 1 else _int(rng, 1, 3)
        chosen = [_fill(rng, pool.pop(0), ctx) for _ in range(min(count, len(pool)))]
        if i == 0:
            chosen.insert(0, lead)
        if chosen:
            paras.append("".join(chosen))
    return title, paras


def _unique_title(seen: set[str], title: str, dt: datetime, place: str) -> str:
    """Deterministically disambiguate a repeated title the way editors do."""
    candidates = [title]
    if not title.startswith(place):
        candidates.append(f"{place}：{title}" if not title.startswith("关于") else f"{title}（{place}）")
    candidates.append(f"{title}（{dt.month}月{dt.day}日）")
    for c in candidates:
        if c not in seen:
            seen.add(c)
            return c
    raise AssertionError(f"cannot make title unique: {title}")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _short(title: str, limit: int = 24) -> str:
    return title if len(title) <= limit else title[:limit] + "..."


# --------------------------------------------------------------------------- output


def _write_files(host_dir: Path, files: dict[str, bytes]) -> None:
    for rel in sorted(files):
        path = host_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel])


def _expected(slug: str, host: str, arts: list[Article], list_pages: list[str], columns: list[str]) -> dict:
    """``columns``: the column names in the order the expectations list them."""
    rows = []
    order = {name: i for i, name in enumerate(columns)}
    for a in sorted(arts, key=lambda a: (order[a.column], -a.dt.timestamp(), a.id)):
        text = a.body_text
        rows.append({
            "url": a.url,
            "column": a.column,
            "title": a.title,
            "published_at": f"{a.dt:%Y-%m-%dT%H:%M:00}+08:00",
            "has_time": a.has_time,
            "source": a.source,
            "authors": a.authors,
            "editor": a.editor,
            "body_start": text[:30],
            "body_end": text[-30:],
            "body_paragraphs": len(a.body_paragraphs),
            "attachments": [{"url": x["url"], "name": x["name"].removeprefix("附件：")} for x in a.attachments],
            "images": a.images,
            "pinned": a.pinned,
            "encoding": a.encoding,
        })
    return {"slug": slug, "host": host, "articles": rows, "list_pages": list_pages,
            "robots": f"http://{host}/robots.txt", "_bodies": [a.body_text for a in arts]}


