"""Scrapy settings for govnews: polite, safe defaults. Components are named as strings.

Every govnews setting has one prefix per component (see README, "Settings"):
``GOVNEWS_*`` (archive, crawl), ``EXTRACT_*`` (ExtractPipeline),
``VALIDATE_*`` (ValidatePipeline), ``ARCHIVE_*`` (writers).
"""

BOT_NAME = "govnews"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "govnews/0.1 (+https://github.com/govnews/govnews; research archive of district government news)"

# --- politeness -------------------------------------------------------------
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
COOKIES_ENABLED = False

# --- safety -------------------------------------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
REDIRECT_MAX_TIMES = 10
METAREFRESH_ENABLED = False
# A truncated body arrives flagged ``dataloss``: retried, then classified ``truncated`` and never stored as an article.
DOWNLOAD_FAIL_ON_DATALOSS = False
# The address guard (crawler/resolver.py): downloads never connect to loopback, private, link-local, CGNAT
# or reserved addresses, unless listed here (e.g. ["127.0.0.1"] for a loopback test server). The
# GOVNEWS_VIA proxy is trusted as configured.
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
GOVNEWS_ALLOW_ADDRESSES = []
GOVNEWS_HOSTS = {}  # name -> address answered without DNS (tests); .test/.invalid names never reach DNS
GOVNEWS_BLOCKED_STOP_AFTER = 3  # challenge pages before a site's crawl stops (finish reason "blocked"); 0 = never
GOVNEWS_RETRY_AFTER_MAX = 60  # seconds: a longer Retry-After gives up instead of waiting

# --- throughput (PERFORMANCE.md: CONCURRENT_ITEMS=100 costs ~40% on asyncio) ---
CONCURRENT_ITEMS = 8
LOG_LEVEL = "INFO"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.ViaProxyMiddleware": 740,
    # outcomes (pipelines/signals.py): classify what retries, redirects and decompression leave
    "crawler.middlewares.OutcomeMiddleware": 540,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.HttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.RedirectMiddleware": 600,
    # exact hosts + address guard, once the proxy is known
    "crawler.middlewares.AddressGuardMiddleware": 760,
    # sees responses off the wire (before decoding at 590 and redirects at 600): archives 3xx
    "pipelines.archive_pipeline.ArchiveWireMiddleware": 650,
}

ITEM_PIPELINES = {
    "pipelines.archive_pipeline.ArchivePipeline": 100,
    "pipelines.validate.FetchOutcomeGate": 150,
    "pipelines.extract_pipeline.ExtractPipeline": 200,
    "pipelines.validate.ValidatePipeline": 300,
    "pipelines.parquet_pipeline.ParquetPipeline": 400,
}

EXTENSIONS = {
    "crawler.extensions.RunRecorder": 500,
    "crawler.diskguard.DiskGuard": 510,
}
GOVNEWS_MIN_FREE_MB = 64  # stop the crawl (disk_full, run failed) when the archive's disk has less free

# --- govnews -------------------------------------------------------------------
GOVNEWS_ARCHIVE = None  # None: $GOVNEWS_ARCHIVE or ./archive
GOVNEWS_SITES_DIRS = []  # extra registry folders beside crawler/sites
GOVNEWS_VIA = ""  # route every request through this HTTP proxy (fixture servers)
GOVNEWS_FULL = False  # ignore what the archive already holds
GOVNEWS_SINCE = ""  # YYYY-MM-DD: keep paging back to this date
GOVNEWS_RUN_ID = ""  # set by the CLI so one invocation shares one id
EXTRACT_WORKERS = 2
VALIDATE_MIN_BODY_CHARS = 8
ARCHIVE_BATCH_ROWS = 5000
ARCHIVE_WARC_MAX_BYTES = 1024**3
