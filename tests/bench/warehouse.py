"""Warehouse benchmark: synthetic archives of 100k and 1M articles; prints a table of timings.

    python -m tests.bench.warehouse                 # 100k and 1M (~20 minutes, ~4 GB of temp files)
    python -m tests.bench.warehouse --sizes 1000000 # the README's table (~15 minutes)
    python -m tests.bench.warehouse --sizes 20000   # a quick look

Not a test: it prints figures. Each archive has 16 sites × 36 months, realistic
Chinese bodies of about 2 KB (UTF-8), four small files per partition (as daily
crawls leave them), and 1% of articles edited once (a second version, fetched a
day later), built column-wise with pyarrow. For each size it times,
over ``warehouse.db.connect`` views (median of 3 runs):

- count per site × month (``articles`` view, GROUP BY),
- ``body_text LIKE '%疫情防控%'`` count,
- latest 20 for one site,
- beside them, the LIKE count over ``article_versions`` (no latest-version ranking) and
  the row count of ``articles`` (equals the size: each edit replaced its first version),
- the same after compaction,
- export to Parquet and to CSV (``warehouse.export``), compaction (``warehouse.compact``),
- bytes on disk per article (articles Parquet files only),
- the full-text index (:mod:`warehouse.fulltext`) on the compacted archive: build time and
  bytes per article, an incremental update absorbing 1,000 new articles, the month-by-month
  count of a term from the index (``govnews search --count-by month``; the query alone, and
  with the up-to-date check a ``search`` command makes first) beside the ``LIKE`` scan for the
  same term (body or title), and the top 20 hits with snippets.

Targets at 1M on a 2-core machine: group-by < 0.5 s, substring < 3 s, latest-20 < 0.2 s;
index count by month <= 50 ms and >= 40x faster than the LIKE scan.
The temp folder is deleted at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa

import pyarrow.parquet as pq

from warehouse.commit import PARQUET_COMPRESSION, PARQUET_COMPRESSION_LEVEL, ROW_GROUP_ROWS
from warehouse.compact import compact
from warehouse.db import connect
from warehouse.export import export_articles
from warehouse.fulltext import grammar
from warehouse.fulltext.search import count_by, current, filtered, top_hits
from warehouse.fulltext.store import index_root
from warehouse.fulltext.update import catch_up, delta
from warehouse.layout import Layout
from warehouse.schema import ARTICLES, DICTIONARY_COLUMNS, PARTITION_COLUMNS

SH = timezone(timedelta(hours=8))
DISTRICTS = ["东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区",
             "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区"]
SLUGS = ["dongcheng", "xicheng", "chaoyang", "fengtai", "shijingshan", "haidian", "mentougou", "fangshan",
         "tongzhou", "shunyi", "changping", "daxing", "huairou", "pinggu", "miyun", "yanqing"]
MONTHS = [f"{y}-{m:02d}" for y in (2019, 2020, 2021) for m in range(1, 13)]
FILES_PER_PARTITION = 4
EDIT_EVERY = 100  # 1% of articles have a second version
COLUMNS = ["区政要闻", "部门动态", "街镇动态", "通知公告", "政策解读"]
SOURCES = ["北京日报", "区融媒体中心", "区政府办", "新华社", "人民日报", "区委宣传部", "北京青年报"]

_WORDS = ("区委 区政府 召开 会议 部署 推进 疫情防控 接诉即办 城市更新 营商环境 优化 街道 社区 居民 "
          "志愿者 服务 开展 专项 行动 检查 落实 责任 工作 要求 全面 加强 安全生产 生态环境 垃圾分类 "
          "乡村振兴 产业 发展 科技 创新 企业 项目 建设 交通 治理 民生 保障 教育 医疗 养老 文化 体育 "
          "活动 群众 满意度 提升 质量 效率 高质量 统筹 协调 组织 领导 干部 学习 贯彻 精神 重要 讲话").split()


def _sentences(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        words = [w for w in rng.choices(_WORDS, k=rng.randint(6, 14)) if w != "疫情防控"]
        out.append("".join(words) + rng.choice("，。；") + "")
    return out


def _partition_table(rng: random.Random, pool: list[str], site_i: int, month: str, n: int, seq0: int) -> pa.Table:
    slug = f"beijing-{SLUGS[site_i]}"
    y, m = map(int, month.split("-"))
    ids = range(seq0, seq0 + n)
    days = [rng.randint(1, 28) for _ in ids]
    published = [datetime(y, m, d, rng.randint(7, 20), rng.randint(0, 59), tzinfo=SH) for d in days]
    urls = [f"https://www.{SLUGS[site_i]}.gov.cn/xxgk/{y}{m:02d}/t{y}{m:02d}{d:02d}_{i}.html" for i, d in zip(ids, days)]
    bodies = []
    for i in ids:
        parts = rng.sample(pool, 30)  # ~2 KB of UTF-8 text
        if i % 20 == 0:
            parts[rng.randrange(30)] += "疫情防控"
        bodies.append("\n".join(["".join(parts[k:k + 5]) for k in range(0, 30, 5)]))
    fetched = datetime(y, m, 28, tzinfo=timezone.utc)
    cols = {
        "url": urls,
        "url_key": [u.split("://", 1)[1].removeprefix("www.") for u in urls],
        "site": [slug] * n,
        "district": [DISTRICTS[site_i]] * n,
        "city": ["北京市"] * n,
        "province": ["北京市"] * n,
        "admin_code": [f"1101{site_i:02d}"] * n,
        "column": [COLUMNS[i % len(COLUMNS)] for i in ids],
        "title": [b[:24] for b in bodies],
        "published_at": published,
        "date_source": ["meta"] * n,
        "source": [SOURCES[i % len(SOURCES)] for i in ids],
        "authors": [["唐炜"] if i % 3 == 0 else [] for i in ids],
        "body_text": bodies,
        "content_sha256": [hashlib.sha256(b.encode()).hexdigest() for b in bodies],
        "fetched_at": [fetched] * n,
        "run_id": [f"bench-{month}"] * n,
        "warc_file": [f"warc/site={slug}/{month}/bench.warc.gz"] * n,
        "warc_offset": [i * 20_000 for i in ids],
        "warc_length": [20_000] * n,
        "encoding": ["utf-8"] * n,
        "extractor_version": ["bench"] * n,
    }
    # one article in EDIT_EVERY edited after publication: a second version, fetched a day later
    edits = [k for k, i in enumerate(ids) if i % EDIT_EVERY == 1]
    for name in list(cols):
        cols[name] = cols[name] + [cols[name][k] for k in edits]
    for j, k in enumerate(edits, start=n):
        cols["body_text"][j] = bodies[k] + "（修订）"
        cols["content_sha256"][j] = hashlib.sha256(cols["body_text"][j].encode()).hexdigest()
        cols["fetched_at"][j] = fetched + timedelta(days=1)
        cols["run_id"][j] = f"bench-{month}-edits"
    rows = n + len(edits)
    arrays = [pa.array(cols[f.name], type=f.type) if f.name in cols else pa.nulls(rows, f.type) for f in ARTICLES]
    return pa.Table.from_arrays(arrays, schema=ARTICLES)


def build(root: Path, n_articles: int, seed: int = 7) -> Layout:
    layout = Layout.at(root)
    rng = random.Random(seed)
    pool = _sentences(rng, 5000)
    per_part = n_articles // (len(SLUGS) * len(MONTHS))
    extra = n_articles - per_part * len(SLUGS) * len(MONTHS)
    seq = 0
    for s in range(len(SLUGS)):
        for mi, month in enumerate(MONTHS):
            n = per_part + (1 if s * len(MONTHS) + mi < extra else 0)
            table = _partition_table(rng, pool, s, month, n, seq)
            seq += n
            step = -(-table.num_rows // FILES_PER_PARTITION)
            for f in range(FILES_PER_PARTITION):
                chunk = table.slice(f * step, step)
                if chunk.num_rows:  # as warehouse.writer writes them (no site column), without the fsyncs
                    chunk = chunk.drop_columns(list(PARTITION_COLUMNS["articles"]))
                    path = layout.data_file("articles", f"beijing-{SLUGS[s]}", month, "bench", f + 1)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    pq.write_table(chunk, path, compression=PARQUET_COMPRESSION,
                                   compression_level=PARQUET_COMPRESSION_LEVEL, row_group_size=ROW_GROUP_ROWS,
                                   use_dictionary=[c for c in DICTIONARY_COLUMNS["articles"]])
    return layout


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*.parquet"))


def _time(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


QUERIES = {
    "count per site × month": "SELECT site, strftime(published_at, '%Y-%m') AS month, count(*) "
                              "FROM articles GROUP BY ALL",
    "LIKE '%疫情防控%' count": "SELECT count(*) FROM articles WHERE body_text LIKE '%疫情防控%'",
    "latest 20 for a site": "SELECT published_at, title, url FROM articles WHERE site = 'beijing-haidian' "
                            "ORDER BY published_at DESC LIMIT 20",
    # side by side: the same scan without keeping the latest version (what ranking costs)
    "LIKE count, article_versions": "SELECT count(*) FROM article_versions WHERE body_text LIKE '%疫情防控%'",
    "articles row count": "SELECT count(*) FROM articles",
}


def _queries(layout: Layout, label: str, rows: list, size: int) -> None:
    t, con = _time(lambda: connect(layout), repeat=3)
    rows.append((f"connect (snapshot + views) {label}", t, ""))
    for name, sql in QUERIES.items():
        t, res = _time(lambda: con.execute(sql).fetchall())
        note = f"{len(res)} rows" if len(res) != 1 else f"= {res[0][0]}"
        if name == "articles row count" and res[0][0] != size:
            raise SystemExit(f"articles holds {res[0][0]} rows, not {size}: the latest-version ranking is wrong")
        rows.append((f"{name} {label}", t, note))
    con.close()


TERM = "疫情防控"


def _new_articles(layout: Layout, size: int, n: int = 1000) -> None:
    """``n`` articles a day's crawl brings: one new file per site, in the last month."""
    rng = random.Random(size)
    pool = _sentences(rng, 500)
    per_site = -(-n // len(SLUGS))
    for s in range(len(SLUGS)):
        k = min(per_site, n - s * per_site)
        table = _partition_table(rng, pool, s, MONTHS[-1], k, size + 10 * s * per_site)
        path = layout.data_file("articles", f"beijing-{SLUGS[s]}", MONTHS[-1], "bench-new", 1)
        pq.write_table(table.slice(0, k), path, compression=PARQUET_COMPRESSION,
                       compression_level=PARQUET_COMPRESSION_LEVEL)


def _fulltext(layout: Layout, rows: list, size: int) -> None:
    t0 = time.perf_counter()
    rep = catch_up(layout, rebuild=True)
    rows.append(("index build (rebuild)", time.perf_counter() - t0, f"{rep.added} documents, {rep.commits} commits"))
    index_bytes = sum(p.stat().st_size for p in index_root(layout).rglob("*") if p.is_file())
    rows.append(("index bytes on disk per article", None, f"{index_bytes / size:.0f} B ({index_bytes / 1e6:.0f} MB)"))
    _new_articles(layout, size)
    t0 = time.perf_counter()
    rep = catch_up(layout)
    rows.append(("index update, 1,000 new articles", time.perf_counter() - t0,
                 f"{rep.new_files} files, {rep.added} documents"))
    con = connect(layout)
    like = (f"SELECT strftime(published_at, '%Y-%m') AS m, count(*) FROM articles "
            f"WHERE body_text LIKE '%{TERM}%' OR title LIKE '%{TERM}%' GROUP BY m ORDER BY m")
    t_like, want = _time(lambda: con.execute(like).fetchall())
    con.close()
    tree = grammar.parse(TERM)
    index = current(layout)
    query = filtered(index.schema, tree)
    t_idx, got = _time(lambda: count_by(index, query, "month"), repeat=5)
    if [tuple(r) for r in want] != got:
        raise SystemExit(f"the index counts {TERM} per month differently from the LIKE scan")
    rows.append((f"LIKE '%{TERM}%' count by month", t_like, f"{sum(n for _, n in got)} articles, {len(got)} months"))
    rows.append((f"index count by month ({TERM})", t_idx, f"{t_like / t_idx:.0f}× faster than LIKE"))
    t_full, _ = _time(lambda: delta(layout, index), repeat=1)
    rows.append(("  full up-to-date check (list files, markers)", t_full, "when a folder changed"))
    current(layout)  # the state of the folders is recorded once they settled
    t_cmd, _ = _time(lambda: count_by(current(layout), filtered(index.schema, tree), "month"))
    rows.append(("  with the quick up-to-date check (search)", t_cmd, f"{t_like / t_cmd:.0f}× faster than LIKE"))
    t_top, hits = _time(lambda: top_hits(layout, index, query, tree, 20))
    rows.append(("index top 20 hits with snippets", t_top, f"{len(hits)} hits"))
    for h in hits[:3]:
        rows.append((f"  {h.published_at:%Y-%m-%d} {h.site}", None, h.snippet))


class _Rows(list):
    """The table's rows, each printed as soon as it is measured (a long run shows its progress)."""

    def append(self, row: tuple) -> None:
        super().append(row)
        name, secs, note = row
        print(f"{name:48} {'' if secs is None else f'{secs:8.3f}':>8}  {note}", flush=True)


def bench(size: int, base: Path) -> list:
    rows = _Rows()
    root = base / f"archive-{size}"
    t0 = time.perf_counter()
    layout = build(root, size)
    rows.append(("build synthetic archive", time.perf_counter() - t0,
                 f"{sum(1 for _ in root.rglob('*.parquet'))} files"))
    size_before = _du(root / "articles")
    _queries(layout, "(4 files/partition)", rows, size)
    t0 = time.perf_counter()
    res = export_articles(layout, base / f"export-parquet-{size}", "parquet")
    rows.append(("export to Parquet", time.perf_counter() - t0,
                 f"{res.rows} rows, {len(res.files) - 1} files, {_du(res.out) / 1e6:.0f} MB"))
    shutil.rmtree(res.out)
    t0 = time.perf_counter()
    res = export_articles(layout, base / f"export-csv-{size}", "csv")
    csv_bytes = sum(p.stat().st_size for p in res.files)
    rows.append(("export to CSV", time.perf_counter() - t0, f"{res.rows} rows, {csv_bytes / 1e6:.0f} MB"))
    shutil.rmtree(res.out)
    t0 = time.perf_counter()
    rep = compact(layout, grace=0)
    rows.append(("compaction", time.perf_counter() - t0,
                 f"{rep.files_in} → {rep.files_out} files, {rep.rows} rows"))
    _queries(layout, "(compacted)", rows, size)
    size_after = _du(root / "articles")
    rows.append(("bytes on disk per article", None,
                 f"{size_before / size:.0f} B (4 files/partition), {size_after / size:.0f} B (compacted)"))
    _fulltext(layout, rows, size)
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    p.add_argument("--tmp", default=None, help="parent of the temp folder (default: the system temp dir)")
    args = p.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="govnews-bench-", dir=args.tmp))
    try:
        for size in args.sizes:
            print(f"\n{size:,} articles ({len(SLUGS)} sites × {len(MONTHS)} months)", flush=True)
            print(f"{'step':48} {'seconds':>8}  note")
            t0 = time.perf_counter()
            bench(size, base)
            print(f"{'whole run at this size':48} {time.perf_counter() - t0:8.3f}", flush=True)
            shutil.rmtree(base / f"archive-{size}", ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
