"""``scrapy crawl district_news``, with the exit code ``govnews crawl`` gives.

Scrapy's crawl command exits 0 whenever the spider could start, so a crawl that
reached nothing looked like success from a shell or a cron job. This one judges
the run the way ``govnews crawl`` does (crawler.verdict): a run that fetched no
list page exits 1 with its one line on stderr.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.verdict import failure_line, run_verdict


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            return super().run(args, opts)  # Scrapy's usage errors, as they are
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        stats = crawler.stats.get_stats()
        verdict = run_verdict(stats.get("finish_reason", "?"), stats)
        if verdict.exit_code:
            site = getattr(crawler.spider, "site", None)
            print(failure_line(getattr(site, "slug", None) or args[0], verdict), file=sys.stderr)
            self.exitcode = verdict.exit_code
