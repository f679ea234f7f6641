"""ParquetPipeline: batches article rows and commits Parquet files atomically through warehouse."""

from __future__ import annotations

import time

from itemadapter import ItemAdapter
from twisted.python.failure import Failure

from pipelines import runctx
from pipelines.signals import article_accepted, articles_committing
from warehouse.writer import PartitionedWriter, month_of


class ParquetPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.writer = PartitionedWriter(
            runctx.layout(crawler), "articles", runctx.run_id(crawler),
            crawler.settings.getint("ARCHIVE_BATCH_ROWS", 5000), before_flush=self._captures_first,
        )

    def _captures_first(self) -> None:
        """Commit the captures rows of the batch's articles before the articles (pipelines.signals)."""
        for _, result in self.crawler.signals.send_catch_log(articles_committing):
            if isinstance(result, Failure):
                result.raiseException()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        row = ItemAdapter(item)
        if "body_text" not in row:
            return item
        record = {k: v for k, v in row.items() if not k.startswith("_")}
        self.crawler.signals.send_catch_log(article_accepted, item=item)
        start = time.thread_time()
        self.writer.add(record, month_of(record["published_at"], record["fetched_at"]))
        self.stats.inc_value("govnews/cpu/write_seconds", time.thread_time() - start, start=0.0)
        self.stats.inc_value("govnews/articles/new" if row.get("_version") != "edit" else "govnews/articles/new_versions")
        return item

    def close_spider(self) -> None:
        start = time.thread_time()
        self.writer.flush()
        self.stats.inc_value("govnews/cpu/write_seconds", time.thread_time() - start, start=0.0)
        self.stats.set_value("govnews/articles/files", len(self.writer.committed))
