"""What each page shows, as plain data (the HTML pages and the JSON API read the same functions).

Every SQL statement here is written by govnews; values from the request are bound parameters."""

from __future__ import annotations

import difflib
from datetime import date, timedelta

from crawler.commands.health import report
from crawler.web.store import ArchiveStore

RUNS_SHOWN = 50
CAPTURES_SHOWN = 100
CRAWL_DAYS = 30


def _health(store: ArchiveStore, watched: list[str], stale_days: int = 7) -> list[dict]:
    with store._lock:  # report() reads through the connection itself
        return report(store._current(), stale_days, watched)


def sites_overview(store: ArchiveStore, registry: dict) -> list[dict]:
    """One row per district: totals, new in the last 7/30 days, last ok crawl, health, per-day sparkline."""
    def make():
        archived = {r["site"] for r in store.rows("SELECT DISTINCT site FROM runs WHERE site IS NOT NULL "
                                                  "AND site <> 'unknown'")}
        counts = {r["site"]: r for r in store.rows("SELECT site, count(*) AS articles, max(published_at) AS "
                                                   "last_published FROM articles GROUP BY site")}
        recent = {r["site"]: r for r in store.rows(
            "SELECT site, coalesce(sum(new) FILTER (WHERE day > current_date - 7), 0) AS new_7d, "
            "coalesce(sum(new) FILTER (WHERE day > current_date - 30), 0) AS new_30d FROM site_daily GROUP BY site")}
        watched = sorted({s for s, site in registry.items() if not site.demo} | archived | set(counts))
        out = []
        for h in _health(store, watched):
            slug = h["site"]
            site = registry.get(slug)
            c, n = counts.get(slug, {}), recent.get(slug, {})
            out.append({"site": slug, "name": site.name if site else slug,
                        "district": site.district if site else None,
                        "articles": int(c.get("articles") or 0), "last_published": c.get("last_published"),
                        "new_7d": int(n.get("new_7d") or 0), "new_30d": int(n.get("new_30d") or 0),
                        "last_ok": h["last_ok"], "health": h["health"], "days": h["days"],
                        "new_per_day": h["new_per_day"], "blocked_14d": h["blocked_14d"],
                        "errors_14d": h["errors_14d"]})
        # sites with articles first, then by slug
        return sorted(out, key=lambda r: (r["articles"] == 0, r["site"]))
    return store.memo(("overview",), make)


def site_detail(store: ArchiveStore, registry: dict, slug: str) -> dict:
    def make():
        overview = next((r for r in sites_overview(store, registry) if r["site"] == slug), None)
        every = all_sites_tables(store)
        cells = [r for r in every["cells"] if r["site"] == slug]
        monthly = [{"month": r["month"], "col": r["col"], "n": r["n"]} for r in cells if r["month"]]
        since = every["since"]
        daily = [r for r in every["daily"] if r["site"] == slug]
        runs = store.rows("SELECT run_id, site, status, finish_reason, started_at, ended_at, list_pages, "
                          "article_pages, new_articles, blocked, errors FROM runs WHERE site = ? "
                          "ORDER BY coalesce(started_at, ended_at) DESC, run_id DESC LIMIT ?", [slug, RUNS_SHOWN])
        per_column: dict[str, dict] = {}
        for r in cells:
            c = per_column.setdefault(r["col"], {"articles": 0, "last_published": None, "last_fetched": None})
            c["articles"] += r["n"]
            for k, v in (("last_published", r["last_published"]), ("last_fetched", r["last_fetched"])):
                if v is not None and (c[k] is None or v > c[k]):
                    c[k] = v
        site = registry.get(slug)
        columns = []
        for col in (site.columns if site else ()):
            got = per_column.pop(col.name, {})
            columns.append({"name": col.name, "url": col.url, "articles": int(got.get("articles") or 0),
                            "last_published": got.get("last_published"), "last_fetched": got.get("last_fetched"),
                            "state": "yielding" if got.get("articles") else "no articles yet"})
        for name, got in sorted(per_column.items()):  # columns the archive holds but the site file no longer lists
            columns.append({"name": name, "url": None, "articles": int(got["articles"]),
                            "last_published": got["last_published"], "last_fetched": got["last_fetched"],
                            "state": "not in the site file"})
        return {"site": slug, "overview": overview, "monthly": monthly, "daily": _fill_days(daily, since),
                "runs": runs, "columns": columns,
                "file": {"name": site.name, "district": site.district, "city": site.city,
                         "province": site.province, "family": site.family, "homepage": site.homepage,
                         "verified": site.verified, "note": site.note} if site else None}
    return store.memo(("site", slug), make)


def all_sites_tables(store: ArchiveStore) -> dict:
    """What every district page reads, for all sites at once (one scan each, once per snapshot):
    articles per site, month and column (with the latest dates), and 30 days of ``site_daily``."""
    def make():
        today = store.rows("SELECT current_date AS d")[0]["d"]  # Asia/Shanghai, the session time zone
        since = today - timedelta(days=CRAWL_DAYS - 1)
        cells = store.rows("SELECT site, strftime(published_at, '%Y-%m') AS month, coalesce(\"column\", '') AS col, "
                           "count(*) AS n, max(published_at) AS last_published, max(fetched_at) AS last_fetched "
                           "FROM articles GROUP BY ALL ORDER BY site, month")
        daily = store.rows("SELECT site, day, fetched, new, new_versions, blocked, dropped, errors FROM site_daily "
                           "WHERE day >= ? ORDER BY site, day", [since])
        return {"since": since, "cells": cells, "daily": daily}
    return store.memo(("all_sites",), make)


def _fill_days(rows: list[dict], since: date) -> list[dict]:
    by_day = {r["day"]: r for r in rows}
    zero = {"fetched": 0, "new": 0, "new_versions": 0, "blocked": 0, "dropped": 0, "errors": 0}
    return [{"day": d, **{k: int(by_day.get(d, zero).get(k) or 0) for k in zero}}
            for d in (since + timedelta(days=i) for i in range(CRAWL_DAYS))]


def monthly_series(monthly: list[dict]) -> tuple[list[str], dict[str, list[int]]]:
    """(months, {column: counts per month}) for a stacked chart (the 7 largest columns, the rest as 其他)."""
    months = sorted({r["month"] for r in monthly})
    totals: dict[str, int] = {}
    for r in monthly:
        totals[r["col"]] = totals.get(r["col"], 0) + r["n"]
    top = sorted(totals, key=lambda c: -totals[c])[:7]
    series = {c or "(none)": [0] * len(months) for c in top}
    if len(totals) > len(top):
        series["其他"] = [0] * len(months)
    for r in monthly:
        name = (r["col"] or "(none)") if r["col"] in top else "其他"
        series[name][months.index(r["month"])] += r["n"]
    return months, series


def article_detail(store: ArchiveStore, key: str) -> dict | None:
    """Every version of the article ``key`` (newest first) with body diffs, and its URL's captures."""
    def make():
        site, versions = store.versions_of(key)
        where = "url_key = ?" + (" AND site = ?" if site else "")  # site: only its partitions are read
        captures = store.rows("SELECT fetched_at, run_id, kind, status, outcome, url, warc_file, warc_offset "
                              f"FROM captures WHERE {where} ORDER BY fetched_at DESC, run_id DESC LIMIT ?",
                              [key, *([site] if site else []), CAPTURES_SHOWN])
        if not versions and not captures:
            return None
        for newer, older in zip(versions, versions[1:]):
            newer["diff"] = body_diff(older.get("body_text"), newer.get("body_text"))
        url = versions[0]["url"] if versions else captures[0]["url"]
        return {"url_key": key, "url": url, "latest": versions[0] if versions else None,
                "versions": versions, "captures": captures}
    return store.memo(("article", key), make)


def body_diff(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """(kind, line) of a unified diff of two bodies, kind one of ``add``, ``del``, ``hunk``, ``same``."""
    out = []
    for line in difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(), "older", "newer",
                                     lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append((kind, line))
    return out


def latest_capture(store: ArchiveStore, key: str) -> dict | None:
    """The capture of ``key`` to show as the archived response: a 200 if there is one, the newest first."""
    rows = store.rows("SELECT warc_file, warc_offset, status, url, fetched_at FROM captures "
                      "WHERE url_key = ? AND warc_file IS NOT NULL "
                      "ORDER BY (status = 200) DESC, fetched_at DESC, run_id DESC LIMIT 1", [key])
    if rows:
        return rows[0]
    rows = store.rows("SELECT warc_file, warc_offset, 200 AS status, url, fetched_at FROM article_versions "
                      "WHERE url_key = ? AND warc_file IS NOT NULL ORDER BY fetched_at DESC LIMIT 1", [key])
    return rows[0] if rows else None


def runs_recent(store: ArchiveStore, limit: int = RUNS_SHOWN) -> list[dict]:
    return store.memo(("runs", limit), lambda: store.rows(
        "SELECT run_id, site, status, finish_reason, started_at, ended_at, list_pages, article_pages, "
        "new_articles, blocked, errors FROM runs ORDER BY coalesce(started_at, ended_at) DESC, run_id DESC "
        "LIMIT ?", [limit]))
