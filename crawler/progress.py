"""Crawl progress per site: a live rich table on a terminal, plain lines otherwise (cron, systemd).

Reads each crawler's stats from a Twisted ``LoopingCall`` in the reactor
thread, so it needs no locking and costs one dict lookup per site per tick.
"""

from __future__ import annotations

import sys
import time
from typing import IO

COLUMNS = ("site", "list pages", "article pages", "new", "new versions", "dropped", "errors", "state")


def _row(slug: str, stats: dict) -> tuple:
    return (
        slug,
        int(stats.get("govnews/pages/list", 0)),
        int(stats.get("govnews/pages/article", 0)),
        int(stats.get("govnews/articles/new", 0)),
        int(stats.get("govnews/articles/new_versions", 0)),
        int(stats.get("item_dropped_count", 0)),
        int(stats.get("log_count/ERROR", 0)),
        stats.get("finish_reason") or ("running" if stats.get("start_time") else "waiting"),
    )


class Progress:
    """``start()`` before the reactor runs, ``stop()`` after it returns."""

    def __init__(self, crawlers: dict, stream: IO[str] | None = None, *, interactive: bool | None = None,
                 interval: float | None = None) -> None:
        self.crawlers = crawlers
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.interval = interval if interval is not None else (0.5 if self.interactive else 60.0)
        self.live = None
        self.loop = None
        self.started = time.monotonic()

    def rows(self) -> list[tuple]:
        return [_row(slug, c.stats.get_stats()) for slug, c in self.crawlers.items()]

    def _table(self):
        from rich.table import Table

        table = Table(title=f"govnews crawl · {time.monotonic() - self.started:.0f} s", title_justify="left")
        for name in COLUMNS:
            table.add_column(name, justify="left" if name in ("site", "state") else "right")
        for row in self.rows():
            table.add_row(*map(str, row))
        return table

    def tick(self) -> None:
        if self.live is not None:
            self.live.update(self._table())
        else:
            for row in self.rows():
                print(f"govnews progress {row[0]}: {row[1]} list pages, {row[2]} article pages, "
                      f"{row[3]} new, {row[4]} new versions, {row[6]} errors ({row[7]})",
                      file=self.stream, flush=True)

    def start(self) -> None:
        from twisted.internet import task

        if self.interactive:
            from rich.console import Console
            from rich.live import Live

            self.live = Live(self._table(), console=Console(file=self.stream), refresh_per_second=4,
                             redirect_stdout=False, redirect_stderr=False)
            self.live.start()
        self.loop = task.LoopingCall(self.tick)
        # a plain run prints its first line after one interval, not at once
        self.loop.start(self.interval, now=self.interactive)

    def stop(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.update(self._table())
            self.live.stop()
            self.live = None
