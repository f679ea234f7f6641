"""``make eval-lists``: the generic list rule (no preset) on the real list pages labelled in
``../shared/corpus/pingtan/truth.jsonl``: precision and recall of the item hrefs, the share of
titles and dates found right, and the next page (or that there is none). Exit 1 below target.

The pages are read where they lie (``../shared/corpus``); nothing of them is copied.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from crawler.genericlist import generic_list
from pipelines.extract import decode_html

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "pingtan"
TARGET = 0.95


def labelled_lists(corpus: Path = CORPUS) -> list[dict]:
    rows = [json.loads(line) for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("kind") == "list"]


def score(row: dict, corpus: Path = CORPUS) -> dict:
    text = decode_html((corpus / "pages" / row["local_name"]).read_bytes(), None, None)[0]
    found = generic_list(text, row["url"])
    want = {href: (title, date) for title, href, date in row["items"]}
    got = {link.url: (link.title, link.date) for link in found.links}
    hit = set(want) & set(got)
    nxt = row.get("next_page") or ""
    return {"page": row["local_name"], "want": len(want), "got": len(got), "hit": len(hit),
            "precision": len(hit) / len(got) if got else 0.0, "recall": len(hit) / len(want) if want else 1.0,
            "titles": sum(got[h][0] == want[h][0] for h in hit) / max(len(hit), 1),
            "dates": sum(got[h][1] == want[h][1] for h in hit) / max(len(hit), 1),
            "next_ok": (found.pagination.next_url or "") == nxt, "next_want": nxt or "none",
            "next_got": found.pagination.next_url or "none"}


def main() -> int:
    if not CORPUS.is_dir():
        print(f"eval-lists: {CORPUS} is absent (the real pages live beside the clone); nothing to measure")
        return 1
    results = [score(r) for r in labelled_lists()]
    print(f"{'page':22} {'labelled':>8} {'found':>6} {'precision':>9} {'recall':>7} {'titles':>7} {'dates':>6}  next page")
    for r in results:
        print(f"{r['page']:22} {r['want']:8d} {r['got']:6d} {r['precision']:9.3f} {r['recall']:7.3f} {r['titles']:7.3f} "
              f"{r['dates']:6.3f}  {'ok' if r['next_ok'] else 'WRONG'} (want {r['next_want']}, got {r['next_got']})")
    hits = sum(r["hit"] for r in results)
    precision = hits / max(sum(r["got"] for r in results), 1)
    recall = hits / max(sum(r["want"] for r in results), 1)
    ok = precision >= TARGET and recall >= TARGET and all(r["next_ok"] for r in results)
    print(f"all {len(results)} pages: precision {precision:.3f}, recall {recall:.3f} (target >= {TARGET}); "
          f"next page right on {sum(r['next_ok'] for r in results)} of {len(results)}")
    print("PASS" if ok else "FAIL: below target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
