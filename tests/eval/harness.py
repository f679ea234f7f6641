"""Evaluation harness: govnews vs plain trafilatura on the labelled corpora.

A second table scores the real pages of ``../shared/corpus`` (``tests.eval.real``;
skipped with one line when absent). What follows is the generated corpus's.

``python -m tests.eval.harness`` (``make eval``) scores three extractors on
every page of ``tests/eval/corpus/`` against ``tests/eval/truth.json``:

- ``govnews``: ``pipelines.extract_worker.extract_page`` (decode + extract,
  as the crawl and ``govnews extract`` run it);
- ``bare``: ``trafilatura.bare_extraction(html, url=url, with_metadata=True).as_dict()``;
- ``fast``: ``trafilatura.extract(html, url=url, fast=True)`` (text only).

trafilatura gets the page as ``str``, decoded by govnews (its decoding is
not timed; govnews's is). It prints one table, per field, accuracy side by
side, then the median milliseconds per page of each and their ratios, and
exits 1 when govnews falls under a threshold (``THRESHOLDS``). Timing is
printed, never a pass/fail condition.

Scoring (see ``score``): title exact (whitespace collapsed); date (day) in
Asia/Shanghai, a null truth needs a null answer; date (minute) over the pages
labelled to the minute; source exact; authors as a set; body character-level
F1 over the multiset of non-whitespace characters (Chinese has no spaces),
averaged over pages; leaked boilerplate lines: body lines matching ``LEAK``
that are not lines of the true body, summed over the corpus.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.eval import real
from tests.eval.tables import missed_thresholds, print_table, print_time_share, run_interleaved

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
TRUTH = HERE / "truth.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")

SYSTEMS = ("govnews", "bare", "fast")
SYSTEM_LABELS = {"govnews": "govnews", "bare": "bare_extraction(with_metadata)", "fast": "extract(fast=True)"}

# govnews must reach these (accuracy in [0, 1]; leaked lines is a count, at most 0).
THRESHOLDS = {
    "title": 0.99,
    "date_day": 0.99,
    "date_minute": 0.99,
    "source": 0.97,
    "authors": 0.95,
    "body_f1": 0.97,
    "leaked_lines": 0,
}
FIELD_LABELS = {
    "title": "title exact",
    "date_day": "date (day)",
    "date_minute": "date (minute, where labelled)",
    "source": "source",
    "authors": "authors",
    "body_f1": "body char F1",
    "leaked_lines": "leaked boilerplate lines",
    "subtitle": "subtitle",
    "editor": "editor",
    "column": "column",
    "attachments": "attachments",
    "images": "images",
    "photographers": "photographers",
}
# Fields only govnews extracts (printed, not gated).
GOVNEWS_ONLY = ("subtitle", "editor", "column", "attachments", "images", "photographers")

# Lines that are page furniture, never article text (kept apart from
# pipelines/extract/xpaths.py on purpose: the harness must not share the
# extractor's blind spots).
LEAK = re.compile(
    r"打印本页|关闭窗口|[【\[]\s*(?:打印|关闭|收藏)\s*[】\]]|(?:字体|字号)\s*[：:]\s*[大中小]|分享到|扫一扫"
    r"|上一篇|下一篇|上一条|下一条|相关链接|相关阅读|责任编辑|责编\s*[：:]|^\s*编辑\s*[：:]"
    r"|ICP备|公网安备|(?:主办|承办|协办)(?:单位)?\s*[：:]|版权所有|网站标识码|联系我们|网站地图|浏览次数|点击数"
    r"|当前位置|您现在的位置|^\s*附件\s*\d*\s*[：:]|^\s*(?:发布时间|发布日期|信息来源|文章来源|来源)\s*[：:]"
)
_WS = re.compile(r"\s+")


@dataclass
class Page:
    truth: dict
    body: bytes
    text: str = ""  # decoded once, for trafilatura


@dataclass
class Result:
    """One extractor's answer for one page, normalised for scoring."""

    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    minute: str | None = None  # YYYY-MM-DD HH:MM, None without a time
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    body: str = ""
    subtitle: str | None = None
    editor: str | None = None
    column: str | None = None
    attachments: list[tuple[str, str]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    ms: float = 0.0


# --------------------------------------------------------------------------- loading


def load_corpus(corpus: Path = CORPUS, truth: Path = TRUTH) -> list[Page]:
    from pipelines.extract import decode_html

    pages = []
    for entry in json.loads(truth.read_text(encoding="utf-8"))["pages"]:
        body = (corpus / entry["file"]).read_bytes()
        pages.append(Page(truth=entry, body=body, text=decode_html(body)[0]))
    return pages


def _fetched(page: Page) -> datetime:
    return datetime.fromisoformat(page.truth["fetched_at"])


# --------------------------------------------------------------------------- the extractors


def _norm(value) -> str | None:
    if value is None:
        return None
    value = _WS.sub(" ", str(value)).strip()
    return value or None


def run_govnews(page: Page) -> Result:
    from pipelines.extract import ListHints, SiteHints
    from pipelines.extract_worker import extract_page

    h = page.truth["hints"]
    hints = SiteHints(slug=h.get("slug", ""), district=h.get("district", ""), city=h.get("city", ""),
                      province=h.get("province", ""), admin_code=h.get("admin_code", ""),
                      site_names=tuple(h.get("site_names", ())), body_selectors=tuple(h.get("body_selectors", ())),
                      family=h.get("family", ""))
    list_hints = ListHints(**page.truth.get("list_hints", {}))
    start = time.perf_counter()
    row = extract_page(page.body, None, None, page.truth["url"], hints, list_hints, _fetched(page))
    ms = (time.perf_counter() - start) * 1000
    when = row["published_at"]
    if when is not None:
        when = when.astimezone(SHANGHAI)
    return Result(
        title=_norm(row["title"]), date=when.strftime("%Y-%m-%d") if when else None,
        minute=when.strftime("%Y-%m-%d %H:%M") if when else None, source=_norm(row["source"]),
        authors=list(row["authors"]), body=row["body_text"] or "", subtitle=_norm(row.get("subtitle")),
        editor=_norm(row["editor"]), column=_norm(row["column"]),
        attachments=[(a["url"], a["name"]) for a in row["attachments"]], images=list(row["images"]),
        photographers=list(row.get("photographers") or []), ms=ms,
    )


def _split_authors(text: str | None) -> list[str]:
    return [a.strip() for a in re.split(r"[;；,，、]", text or "") if a.strip()]


def run_bare(page: Page) -> Result:
    import trafilatura

    start = time.perf_counter()
    doc = trafilatura.bare_extraction(page.text, url=page.truth["url"], with_metadata=True)
    ms = (time.perf_counter() - start) * 1000
    d = doc.as_dict() if doc is not None else {}
    date = d.get("date")
    return Result(title=_norm(d.get("title")), date=date[:10] if date else None,
                  minute=date[:16].replace("T", " ") if date and len(date) >= 16 else None,
                  source=_norm(d.get("sitename")), authors=_split_authors(d.get("author")),
                  body=d.get("text") or "", ms=ms)


def run_fast(page: Page) -> Result:
    import trafilatura

    start = time.perf_counter()
    text = trafilatura.extract(page.text, url=page.truth["url"], fast=True)
    ms = (time.perf_counter() - start) * 1000
    return Result(body=text or "", ms=ms)


RUNNERS = {"govnews": run_govnews, "bare": run_bare, "fast": run_fast}


# --------------------------------------------------------------------------- scoring


def char_f1(predicted: str, expected: str) -> float:
    """F1 over the multiset of non-whitespace characters."""
    p = Counter(_WS.sub("", predicted))
    e = Counter(_WS.sub("", expected))
    if not p and not e:
        return 1.0
    if not p or not e:
        return 0.0
    common = sum((p & e).values())
    if not common:
        return 0.0
    precision = common / sum(p.values())
    recall = common / sum(e.values())
    return 2 * precision * recall / (precision + recall)


def leaked_lines(predicted: str, expected: str) -> list[str]:
    truth_lines = {_WS.sub("", line) for line in expected.split("\n")}
    return [line for line in predicted.split("\n")
            if line.strip() and LEAK.search(line) and _WS.sub("", line) not in truth_lines]


def _truth_minute(value: str | None) -> str | None:
    if value and "T" in value:
        return datetime.fromisoformat(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return None


def page_checks(truth: dict, result: Result) -> dict[str, float | bool | None]:
    """Per-field outcome of one page (None: the field does not apply to this page)."""
    day = truth["published_at"][:10] if truth["published_at"] else None
    minute = _truth_minute(truth["published_at"])
    return {
        "title": result.title == _norm(truth["title"]),
        "date_day": result.date == day,
        "date_minute": (result.minute == minute) if minute else None,
        "source": result.source == _norm(truth["source"]),
        "authors": set(result.authors) == set(truth["authors"]),
        "body_f1": char_f1(result.body, truth["body_text"]),
        "leaked_lines": len(leaked_lines(result.body, truth["body_text"])),
        "subtitle": result.subtitle == _norm(truth.get("subtitle")),
        "editor": result.editor == _norm(truth.get("editor")),
        "column": result.column == _norm(truth.get("column")),
        "attachments": sorted(result.attachments) == sorted((a["url"], a["name"]) for a in truth["attachments"]),
        "images": result.images == truth.get("images", []),
        "photographers": set(result.photographers) == set(truth.get("photographers", [])),
    }


def score(pages: list[Page], results: list[Result]) -> dict[str, float]:
    """Corpus figures: accuracies and mean F1 in [0, 1], leaked lines as a count."""
    checks = [page_checks(p.truth, r) for p, r in zip(pages, results)]
    out: dict[str, float] = {}
    for key in checks[0]:
        values = [c[key] for c in checks if c[key] is not None]
        if key == "leaked_lines":
            out[key] = sum(values)
        else:
            out[key] = sum(float(v) for v in values) / len(values) if values else float("nan")
    return out


def failures(figures: dict[str, float]) -> list[str]:
    """The thresholds govnews misses, as readable lines."""
    return missed_thresholds(figures, THRESHOLDS, FIELD_LABELS, "leaked_lines")


def run(pages: list[Page], systems=SYSTEMS, repeat: int = 1) -> dict[str, list[Result]]:
    """Every system on every page, interleaved page by page (side by side timing)."""
    return run_interleaved(pages, RUNNERS, systems, repeat)


# --------------------------------------------------------------------------- report


def _cell(key: str, value: float | None) -> str:
    if value is None:
        return "—"
    if key == "leaked_lines":
        return str(int(value))
    if key == "body_f1":
        return f"{value:.4f}"
    return f"{value * 100:.1f}%"


def report(pages: list[Page], results: dict[str, list[Result]], out=sys.stdout) -> list[str]:
    figures = {s: score(pages, r) for s, r in results.items()}
    systems = list(results)
    headers = ["field"] + [SYSTEM_LABELS[s] for s in systems] + ["govnews must"]
    rows = []
    for key in (*THRESHOLDS, *GOVNEWS_ONLY):
        row = [FIELD_LABELS[key]]
        for s in systems:
            na = (s == "fast" and key not in ("body_f1", "leaked_lines")) or (s != "govnews" and key in GOVNEWS_ONLY)
            row.append("—" if na else _cell(key, figures[s][key]))
        limit = THRESHOLDS.get(key)
        row.append("" if limit is None else ("= 0" if key == "leaked_lines" else
                                              f">= {limit}" if key == "body_f1" else f">= {limit * 100:g}%"))
        rows.append(row)
    medians = {s: statistics.median(r.ms for r in results[s]) for s in systems}
    rows.append(["median ms per page"] + [f"{medians[s]:.2f}" for s in systems] + [""])
    if "govnews" in medians:
        rows.append(["time ratio to govnews"] + [f"{medians[s] / medians['govnews']:.1f}x" for s in systems] + [""])
    minute_pages = sum(1 for p in pages if _truth_minute(p.truth["published_at"]))
    print(f"generated corpus (tests/eval/corpus): {len(pages)} pages ({minute_pages} labelled to the minute), "
          f"{len({p.truth['template'] for p in pages})} templates, "
          f"{sum(1 for p in pages if p.truth['encoding'] != 'utf-8')} GBK", file=out)
    print_table(headers, rows, out)
    print_time_share(medians, 1 / 3, "1/3 budget", out)
    print("trafilatura: source = its sitename, date from its date field (day only); "
          "extract(fast=True) gives text only.", file=out)
    missed = failures(figures["govnews"]) if "govnews" in figures else []
    print("PASS: govnews meets every threshold" if not missed else "FAIL: " + "; ".join(missed), file=out)
    return missed


def show_failures(pages: list[Page], results: list[Result], out=sys.stdout) -> None:
    """Every page where govnews misses a field, with both values."""
    for page, result in zip(pages, results):
        checks = page_checks(page.truth, result)
        bad = [k for k, v in checks.items()
               if v is not None and ((k == "body_f1" and v < 0.999) or (k == "leaked_lines" and v)
                                     or (isinstance(v, bool) and not v))]
        if not bad:
            continue
        print(f"--- {page.truth['file']}: {', '.join(bad)}", file=out)
        for k in bad:
            got = {"title": result.title, "date_day": result.date, "date_minute": result.minute,
                   "source": result.source, "authors": result.authors, "subtitle": result.subtitle,
                   "editor": result.editor, "column": result.column, "attachments": result.attachments,
                   "images": result.images, "photographers": result.photographers, "body_f1": result.body, "leaked_lines":
                       leaked_lines(result.body, page.truth["body_text"])}[k]
            want = {"date_day": page.truth["published_at"], "date_minute": page.truth["published_at"],
                    "body_f1": page.truth["body_text"], "leaked_lines": []}.get(k, page.truth.get(k))
            print(f"  {k}: got {got!r}\n  {' ' * len(k)}  want {want!r}", file=out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.eval.harness", description=__doc__.splitlines()[0])
    p.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of " + ",".join(SYSTEMS))
    p.add_argument("--repeat", type=int, default=3, help="runs per page and system; the fastest is timed")
    p.add_argument("--show-failures", action="store_true", help="list every page govnews gets wrong")
    p.add_argument("--corpus", type=Path, default=CORPUS, help="folder of the pages")
    p.add_argument("--truth", type=Path, default=TRUTH, help="the truth file")
    p.add_argument("--real", type=Path, default=real.REAL_CORPUS,
                   help="folder of the real labelled pages (default ../shared/corpus)")
    p.add_argument("--no-real", dest="real", action="store_const", const=None, help="skip the real pages")
    args = p.parse_args(argv)
    systems = [s for s in args.systems.split(",") if s]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        p.error(f"unknown systems: {', '.join(sorted(unknown))}")
    pages = load_corpus(args.corpus, args.truth)
    results = run(pages, systems, repeat=args.repeat)
    missed = report(pages, results)
    if args.show_failures and "govnews" in results:
        show_failures(pages, results["govnews"])
    if args.real is not None:
        missed += _real(args, [s for s in systems if s in real.RUNNERS])
    return 1 if missed else 0


def _real(args, systems: list[str]) -> list[str]:
    """The real-pages table, or one line saying why it is skipped."""
    print()
    if not real.present(args.real):
        print(f"real pages: skipped ({args.real} is absent; it sits beside a CI clone, not in the repository)")
        return []
    pages = real.load(args.real)
    answers = real.run(pages, systems, repeat=args.repeat)
    missed = real.report(pages, answers)
    if args.show_failures and "govnews" in answers:
        real.show_failures(pages, answers["govnews"])
    return missed


if __name__ == "__main__":
    sys.exit(main())
