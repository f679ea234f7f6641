"""The real-pages half of ``make eval``: ``../shared/corpus`` scored as its README says.

The pages are real government pages saved by the public; they are not ours
to publish, so they are read from beside the clone (``REAL_CORPUS``) and
never copied into the repository. A clone without them skips this table
with one line.

Scoring (the corpus README's): title equal after removing whitespace; date
= the first 10 characters of the visible ``published`` against the answer's
day in Asia/Shanghai; source exact (null truth needs a null answer); author
over the pages whose truth credits a person, as a set of names; body right
when, whitespace removed, it starts within 10 characters of ``body_first``,
ends within 10 of ``body_last`` and its length is within 10% of
``body_chars_approx`` (an image-only page, 0 characters, needs an empty
body); U+FFFD counted over every text field. Both pages/ and the pingtan
articles are scored.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.eval.tables import missed_thresholds, print_table, print_time_share, run_interleaved

ROOT = Path(__file__).resolve().parents[2]
REAL_CORPUS = ROOT.parent / "shared" / "corpus"
SHANGHAI = ZoneInfo("Asia/Shanghai")
_WS = re.compile(r"\s+")
_NAME_SEP = re.compile(r"[\s;；,，、/／]+")

# The targets on the real corpus (govnews must reach them; exit 1 below).
REAL_THRESHOLDS = {"title": 0.98, "date": 0.95, "source": 0.95, "author": 0.90, "body": 0.90, "fffd": 0}
REAL_LABELS = {
    "title": "title exact", "date": "date (visible day)", "source": "source",
    "author": "author (pages crediting a person)", "body": "body boundaries",
    "body_start": "  body starts right", "body_end": "  body ends right", "body_length": "  body length ±10%",
    "fffd": "pages with U+FFFD",
}


@dataclass
class RealPage:
    truth: dict
    path: Path
    body: bytes
    text: str = ""  # decoded once, for trafilatura


@dataclass
class Answer:
    title: str | None = None
    date: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    body: str = ""
    fffd: bool = False
    fallback: bool = False
    ms: float = 0.0


def present(corpus: Path = REAL_CORPUS) -> bool:
    return (corpus / "truth.jsonl").is_file()


def load(corpus: Path = REAL_CORPUS) -> list[RealPage]:
    """Every labelled article page: pages/ and pingtan/pages/."""
    from pipelines.extract import decode_html

    pages = []
    for truth_file, folder in ((corpus / "truth.jsonl", corpus / "pages"),
                               (corpus / "pingtan" / "truth.jsonl", corpus / "pingtan" / "pages")):
        if not truth_file.is_file():
            continue
        for line in truth_file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            truth = json.loads(line)
            if truth.get("kind", "article") != "article":
                continue
            path = folder / truth["local_name"]
            body = path.read_bytes()
            pages.append(RealPage(truth=truth, path=path, body=body, text=decode_html(body)[0]))
    return pages


def _squash(text: str | None) -> str:
    return _WS.sub("", text or "")


def names(value) -> set[str]:
    if not value:
        return set()
    items = value if isinstance(value, list) else [value]
    return {n for item in items for n in _NAME_SEP.split(item) if n}


# --------------------------------------------------------------------------- extractors


def run_govnews(page: RealPage) -> Answer:
    from pipelines.extract import ListHints, SiteHints
    from pipelines.extract_worker import extract_page

    url = page.truth.get("url") or f"http://localhost/{page.truth['local_name']}"
    start = time.perf_counter()
    row = extract_page(page.body, None, None, url, SiteHints(), ListHints(), None)
    ms = (time.perf_counter() - start) * 1000
    when = row["published_at"]
    texts = [row["title"], row["subtitle"], row["source"], row["body_text"], row["editor"], *row["authors"]]
    return Answer(title=row["title"], date=when.astimezone(SHANGHAI).strftime("%Y-%m-%d") if when else None,
                  source=row["source"], authors=list(row["authors"]), body=row["body_text"] or "",
                  fffd=any("\ufffd" in (t or "") for t in texts), fallback=row.get("body_from") == "trafilatura",
                  ms=ms)


def run_bare(page: RealPage) -> Answer:
    import trafilatura

    url = page.truth.get("url")
    start = time.perf_counter()
    doc = trafilatura.bare_extraction(page.text, url=url, with_metadata=True)
    ms = (time.perf_counter() - start) * 1000
    d = doc.as_dict() if doc is not None else {}
    texts = [d.get("title"), d.get("text"), d.get("author"), d.get("sitename")]
    return Answer(title=d.get("title"), date=(d.get("date") or "")[:10] or None, source=d.get("sitename"),
                  authors=sorted(names(d.get("author"))), body=d.get("text") or "",
                  fffd=any("\ufffd" in (t or "") for t in texts), ms=ms)


RUNNERS = {"govnews": run_govnews, "bare": run_bare}
LABELS = {"govnews": "govnews", "bare": "bare_extraction(with_metadata)"}


# --------------------------------------------------------------------------- scoring


def body_checks(truth: dict, body: str) -> dict[str, bool]:
    got = _squash(body)
    want_chars = int(truth.get("body_chars_approx") or 0)
    if want_chars == 0:
        return {"body_start": not got, "body_end": not got, "body_length": not got}
    first, last = _squash(truth.get("body_first")), _squash(truth.get("body_last"))
    start = got.find(first) if first else 0
    end = got.rfind(last) if last else -1
    return {
        "body_start": 0 <= start <= 10,
        "body_end": end >= 0 and len(got) - (end + len(last)) <= 10,
        "body_length": abs(len(got) - want_chars) <= 0.1 * want_chars,
    }


def checks(truth: dict, answer: Answer) -> dict[str, bool | None]:
    body = body_checks(truth, answer.body)
    want_source = truth.get("source")
    credited = names(truth.get("author"))
    return {
        "title": _squash(answer.title) == _squash(truth["title"]),
        "date": answer.date == (truth["published"] or "")[:10] if truth.get("published") else answer.date is None,
        "source": _squash(answer.source) == _squash(want_source) if want_source else not answer.source,
        "author": (set(answer.authors) == credited) if credited else None,
        "body": all(body.values()),
        **body,
        "fffd": answer.fffd,
    }


def score(pages: list[RealPage], answers: list[Answer]) -> dict[str, float]:
    rows = [checks(p.truth, a) for p, a in zip(pages, answers)]
    out = {}
    for key in REAL_LABELS:
        values = [r[key] for r in rows if r[key] is not None]
        if key == "fffd":
            out[key] = sum(values)
        else:
            out[key] = sum(values) / len(values) if values else float("nan")
    return out


def failures(figures: dict[str, float]) -> list[str]:
    return missed_thresholds(figures, REAL_THRESHOLDS, REAL_LABELS, "fffd", prefix="real ")


def run(pages: list[RealPage], systems=("govnews", "bare"), repeat: int = 1) -> dict[str, list[Answer]]:
    """Interleaved page by page (same run, same load); the fastest of ``repeat`` is timed."""
    return run_interleaved(pages, RUNNERS, systems, repeat)


def report(pages: list[RealPage], answers: dict[str, list[Answer]], out=sys.stdout,
           where: str = "../shared/corpus") -> list[str]:
    systems = list(answers)
    figures = {s: score(pages, a) for s, a in answers.items()}
    credited = sum(1 for p in pages if names(p.truth.get("author")))
    rows = []
    for key in REAL_LABELS:
        cells = [str(int(figures[s][key])) if key == "fffd" else f"{figures[s][key] * 100:.1f}%" for s in systems]
        limit = REAL_THRESHOLDS.get(key)
        must = "" if limit is None else ("= 0" if key == "fffd" else f">= {limit * 100:g}%")
        rows.append([REAL_LABELS[key], *cells, must])
    medians = {s: statistics.median(a.ms for a in answers[s]) for s in systems}
    rows.append(["median ms per page", *(f"{medians[s]:.2f}" for s in systems), ""])
    print(f"real pages ({where}): {len(pages)} article pages, {credited} crediting a person",
          file=out)
    print_table(["field", *(LABELS[s] for s in systems), "govnews must"], rows, out)
    missed = failures(figures["govnews"]) if "govnews" in figures else []
    if "govnews" in answers:
        used = sum(a.fallback for a in answers["govnews"])
        print(f"trafilatura fallback (no container found): {used} of {len(pages)} pages", file=out)
    print_time_share(medians, 0.25, "1/4 target", out)
    print("PASS: govnews meets every real-page target" if not missed else "FAIL: " + "; ".join(missed), file=out)
    return missed


def show_failures(pages: list[RealPage], answers: list[Answer], out=sys.stdout) -> None:
    for page, answer in zip(pages, answers):
        row = checks(page.truth, answer)
        bad = [k for k in ("title", "date", "source", "author", "body_start", "body_end", "body_length")
               if row[k] is False] + (["fffd"] if row["fffd"] else [])
        if not bad:
            continue
        t = page.truth
        print(f"--- {page.path.parent.parent.name}/{t['local_name']}: {', '.join(bad)}", file=out)
        for k in bad:
            if k.startswith("body"):
                got = _squash(answer.body)
                print(f"  {k}: got {len(got)} chars {got[:40]!r} … {got[-40:]!r}\n"
                      f"  {' ' * len(k)}  want {t['body_chars_approx']} chars {t['body_first']!r} … "
                      f"{t['body_last']!r}", file=out)
            else:
                got = {"title": answer.title, "date": answer.date, "source": answer.source,
                       "author": answer.authors, "fffd": answer.fffd}[k]
                want = {"date": t.get("published"), "fffd": False}.get(k, t.get(k))
                print(f"  {k}: got {got!r}\n  {' ' * len(k)}  want {want!r}", file=out)
