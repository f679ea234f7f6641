"""kill -9 during an index update, 10 times at random moments: the index opens and answers
(a consistent earlier state), and the next update makes it match DuckDB again."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.integration.fulltext_data import add_articles, assert_exact
from warehouse.compact import compact, live_files
from warehouse.fulltext import grammar
from warehouse.fulltext.search import count_by, filtered
from warehouse.fulltext.store import KIND_DOC, open_index
from warehouse.fulltext.update import absorbed_files, catch_up, rel
from warehouse.layout import Layout

TERMS = ["接诉即办", "居民 志愿者", "区 -城市"]
ROUNDS = 10


def _consistent(layout: Layout, live_before: set[str]) -> None:
    """What any committed state must be: it opens, answers, names only files that were live
    before this round or are live now, and holds at most one document per article."""
    import tantivy

    index = open_index(layout)
    searcher = index.searcher()
    assert count_by(index, filtered(index.schema, grammar.parse("社区")), "site") is not None
    absorbed = absorbed_files(index)
    assert absorbed <= live_before | {rel(layout, p) for p in live_files(layout, "articles")}
    q = tantivy.Query.term_query(index.schema, "kind", KIND_DOC)
    n = searcher.search(q, limit=1).count
    keys = [searcher.doc(a)["url_key"][0] for _, a in searcher.search(q, limit=max(n, 1), count=False).hits]
    assert len(keys) == len(set(keys)), "an article holds two documents"


@pytest.mark.slow
def test_kill9_during_index_updates(tmp_path):
    seed = int(os.environ.get("GOVNEWS_TEST_SEED") or random.randrange(1 << 30))
    print(f"kill -9 seed {seed} (rerun with GOVNEWS_TEST_SEED={seed})")
    rng = random.Random(seed)
    layout = Layout.at(tmp_path / "archive")
    add_articles(layout, rng, 0, 1000, "base")
    catch_up(layout)
    killed = 0
    for r in range(ROUNDS):
        live_before = {rel(layout, p) for p in live_files(layout, "articles")}
        start = 1000 + r * 300
        add_articles(layout, rng, start, 300, f"round{r}", edit_of=rng.sample(range(start), 30), fetched_days=r + 1)
        if r % 4 == 3:
            compact(layout, grace=0)
        proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "index", "--batch-docs", "40",
                                 "--archive", str(layout.root)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r % 2:  # at any moment from its start (imports, listing, ranking, writing)
            time.sleep(rng.uniform(0.2, 3.0))
        else:  # between commits: after the first batch is committed
            proc.stderr.readline()
            time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.stderr.close()
        killed += proc.wait() == -signal.SIGKILL
        _consistent(layout, live_before)
        catch_up(layout)
        assert_exact(layout, TERMS)
    assert killed >= ROUNDS // 2, f"only {killed} of {ROUNDS} updates were killed before they finished (seed {seed})"
