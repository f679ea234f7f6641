"""`govnews schedule --log`: the log is rotated, never grows for ever (issue 12, section 5)."""

from __future__ import annotations

from crawler.commands.schedule import rotate


def test_rotate_shifts_the_logs_and_drops_the_oldest(tmp_path):
    log = tmp_path / "crawl.log"
    for i, text in enumerate(["today", "day-1", "day-2", "day-3"]):
        (log if i == 0 else tmp_path / f"crawl.log.{i}").write_text(text * 10)
    assert rotate(log, max_bytes=1000, keep=3) is False  # small enough: left alone
    assert rotate(log, max_bytes=10, keep=3) is True
    names = {p.name: p.read_text()[:5] for p in tmp_path.iterdir()}
    assert names == {"crawl.log.1": "today", "crawl.log.2": "day-1", "crawl.log.3": "day-2"}  # day-3 dropped
    assert rotate(tmp_path / "absent.log", max_bytes=0, keep=3) is False
