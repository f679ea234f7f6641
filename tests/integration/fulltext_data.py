"""Generated archives for the full-text index tests, written through the real writer.

Bodies draw on ~100 characters common in district news (so 2-character terms hit often
and 4-character ones rarely), with spaces, full-width spaces and newlines between
sentences as extracted bodies have them; titles mix in the ASCII seen in real titles
(5G, APP, GDP, COVID-19). 1% of articles carry no publication date, 2% no title; an
edit is a second version of an article with a changed body, fetched later.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import duckdb

from tests.unit.test_warehouse_views import T0, article, write_rows
from warehouse.fulltext import grammar
from warehouse.layout import Layout

SH = timezone(timedelta(hours=8))
SITES = ("beijing-haidian", "beijing-yanqing", "beijing-chaoyang", "beijing-miyun")
CHARS = ("区委政府召开会议部署推进疫情防控接诉即办城市更新营商环境优化街道社区居民志愿者服务开展专项行动检查落实"
         "责任工作要求全面加强安全生产生态垃圾分类乡村振兴产业发展科技创新企业项目建设交通治理民生保障教育医疗"
         "养老文化体育活动群众满意度提升质量效率")
SEPARATORS = ["，", "。", " ", "\u3000", "\n", "；"]
ASCII = ["5G", "APP", "GDP", "COVID-19", "12345"]


def body(rng: random.Random, chars: int) -> str:
    out = []
    while sum(map(len, out)) < chars:
        out.append("".join(rng.choices(CHARS, k=rng.randint(4, 12))) + rng.choice(SEPARATORS))
    return "".join(out)


def add_articles(layout: Layout, rng: random.Random, start: int, count: int, run_id: str,
                 *, edit_of: list[int] = (), fetched_days: int = 0) -> list[int]:
    """Write ``count`` new articles from number ``start`` and new versions of ``edit_of``."""
    rows = []
    fetched = T0 + timedelta(days=fetched_days)
    for n in list(range(start, start + count)) + list(edit_of):
        site = SITES[n % len(SITES)]
        r = random.Random(n)  # an article keeps its date and title across versions
        published = None if n % 100 == 7 else datetime(2020 + r.randint(0, 1), r.randint(1, 12), r.randint(1, 28),
                                                       r.randint(0, 23), tzinfo=SH)
        title = None if n % 50 == 3 else (r.choice(ASCII) + "".join(r.choices(CHARS, k=8)) if n % 5 == 0
                                          else "".join(r.choices(CHARS, k=10)))
        rows.append(article(site, n, published=published, fetched=fetched, run_id=run_id,
                            body=body(rng, rng.randint(60, 300)), title=title, column=f"栏目{n % 3}"))
    write_rows(layout, "articles", rows, run_id=run_id)
    return list(range(start, start + count))


def reference(con: duckdb.DuckDBPyConnection, text: str, by: str, table: str = "articles") -> dict:
    """DuckDB's answer: articles (latest versions; ``table``: a copy of them) matching ``text``,
    counted by site or month."""
    params: list = []
    cond = grammar.to_sql(grammar.parse(text), params)
    key = "site" if by == "site" else "strftime(published_at, '%Y-%m')"
    return dict(con.execute(f"SELECT {key}, count(*) FROM {table} WHERE {cond} GROUP BY 1", params).fetchall())


def random_terms(con: duckdb.DuckDBPyConnection, rng: random.Random, n: int) -> list[str]:
    """``n`` terms of 2-4 characters: most cut from archived bodies and titles (spaces and
    punctuation included), the rest random characters (mostly matching nothing)."""
    texts = [t for (t,) in con.execute("SELECT coalesce(title, '') || body_text FROM articles USING SAMPLE 200 ROWS "
                                       "(reservoir, 7)").fetchall()]
    terms = []
    while len(terms) < n:
        size = rng.randint(2, 4)
        if len(terms) % 5 == 4:
            terms.append("".join(rng.choices(CHARS, k=size)))
        else:
            t = rng.choice(texts)
            i = rng.randrange(max(1, len(t) - size))
            terms.append(t[i:i + size])
    return terms


def quoted(term: str) -> str:
    """``term`` as one term of the search grammar (it may hold spaces)."""
    return '"' + term + '"'


def assert_exact(layout: Layout, texts: list[str]) -> None:
    """The index (caught up first) counts, per site and per month, what DuckDB counts."""
    from warehouse.db import connect
    from warehouse.fulltext.search import count_by, current, filtered

    index = current(layout)
    con = connect(layout)
    # the latest versions copied once: each reference query then scans memory, not hundreds of files
    con.execute("CREATE TEMP TABLE latest AS SELECT site, published_at, title, body_text FROM articles")
    try:
        for text in texts:
            q = filtered(index.schema, grammar.parse(text))
            for by in ("site", "month"):
                assert dict(count_by(index, q, by)) == reference(con, text, by, "latest"), (text, by)
    finally:
        con.close()
