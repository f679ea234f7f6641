"""Scrapy settings for govnews: polite, safe defaults. Components are named as strings.

Every govnews setting has one prefix per component (see README, "Settings"):
``GOVNEWS_*`` (archive, crawl), ``EXTRACT_*`` (ExtractPipeline),
``VALIDATE_*`` (ValidatePipeline), ``ARCHIVE_*`` (writers).

Every entry point loads this module by name, never through ``scrapy.cfg``
(which Scrapy looks for upwards from the working directory): ``govnews`` and
any worker call :func:`govnews_settings`; ``scrapy crawl`` finds it through
``scrapy.cfg`` at the repository root or ``SCRAPY_SETTINGS_MODULE=crawler.settings``
anywhere else. The spider refuses to start without it (see ``GOVNEWS_SETTINGS``).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

BOT_NAME = "govnews"
SPIDER_MODULES = ["crawler.spiders"]
#: ``scrapy crawl`` exits 1 for a run that reached nothing, as ``govnews crawl`` does
COMMANDS_MODULE = "crawler.scrapy_commands"
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
#: log lines without the item (a page item holds the whole body)
LOG_FORMATTER = "crawler.logformat.GovnewsLogFormatter"
#: Scrapy checks each callback for ``return <value>`` in a generator by re-reading and parsing its source,
#: and its cache misses on bound methods: ast.parse per response, 3% of the crawl process's CPU.
#: tests/unit/test_spider_callbacks.py makes the same check once, over every govnews callback.
WARN_ON_GENERATOR_RETURN_VALUE = False

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
    "crawler.gctune.GcTuning": 520,
}
#: the crawl process's young-generation GC threshold while engines run (crawler/gctune.py); 0 = CPython's
GOVNEWS_GC_GEN0 = 50_000
GOVNEWS_MIN_FREE_MB = 64  # stop the crawl (disk_full, run failed) when the archive's disk has less free

# --- govnews -------------------------------------------------------------------
GOVNEWS_ARCHIVE = None  # None: $GOVNEWS_ARCHIVE or ./archive
GOVNEWS_SITES_DIRS = []  # extra registry folders beside crawler/sites
GOVNEWS_VIA = ""  # route every request through this HTTP proxy (fixture servers)
GOVNEWS_FULL = False  # ignore what the archive already holds
GOVNEWS_SINCE = ""  # YYYY-MM-DD: keep paging back to this date
GOVNEWS_RUN_ID = ""  # set by the CLI so one invocation shares one id
EXTRACT_WORKERS = 2
#: niceness added to each extraction worker (0..19; 0 = the crawl process's priority): the reactor,
#: which every page passes through, gets the CPU first (pipelines/extract_worker.py, warm)
EXTRACT_NICE = 10
#: pages per worker task, and the longest a page waits for its batch (pipelines/extract_batch.py)
EXTRACT_BATCH = 8
EXTRACT_BATCH_WAIT = 0.02
VALIDATE_MIN_BODY_CHARS = 8
ARCHIVE_BATCH_ROWS = 5000
ARCHIVE_WARC_MAX_BYTES = 1024**3

#: set only by this module: the spider refuses to run under settings that lack it
#: (``scrapy runspider``, or a process that did not load govnews' settings)
GOVNEWS_SETTINGS = "crawler.settings"

#: settings each run records in its stats (``govnews/settings/<NAME>``): what the crawl really ran with
GOVNEWS_RECORDED_SETTINGS = [
    "GOVNEWS_SETTINGS", "ROBOTSTXT_OBEY", "USER_AGENT", "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED",
    "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "TWISTED_DNS_RESOLVER", "GOVNEWS_VIA",
]

# Politeness is for other people's servers. A fixture server on loopback (GOVNEWS_VIA) is ours:
# the spider applies these (spider priority: an explicit ``-s`` still wins) whichever way it starts.
GOVNEWS_LOOPBACK_OVERRIDES = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "CONCURRENT_REQUESTS": 32,
}


#: Scrapy components that their own setting switches off, and the component table they sit in. Scrapy
#: imports a component before it raises NotConfigured: RemoteControl imports aiohttp (0.13 s) and
#: CookiesMiddleware tldextract (0.04 s), before the first request. Switched off, they are left out
#: (:func:`leave_out_switched_off`); switched on (``-s COOKIES_ENABLED=True``) they load as usual.
SWITCHED_OFF_BY = {
    "REMOTE_CONTROL_ENABLED": ("EXTENSIONS", "scrapy.extensions.remote_control.RemoteControl"),
    "TELNETCONSOLE_ENABLED": ("EXTENSIONS", "scrapy.extensions.telnet.TelnetConsole"),
    "COOKIES_ENABLED": ("DOWNLOADER_MIDDLEWARES", "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"),
}


def leave_out_switched_off(settings) -> None:
    """Take each :data:`SWITCHED_OFF_BY` component out of Scrapy's ``<table>_BASE`` when its setting
    is off. (Mapping it to None in ``<table>`` is not enough: Scrapy imports every key given there, to
    find duplicates, None or not; it imports a ``_BASE`` entry only when it builds it.)"""
    for flag, (table, path) in SWITCHED_OFF_BY.items():
        base = f"{table}_BASE"
        components = settings.getdict(base)
        if not settings.getbool(flag) and path in components:
            del components[path]
            settings.set(base, components, settings.getpriority(base) or 0)


def govnews_settings():
    """govnews' Scrapy settings (this module, at project priority), wherever the process started.

    Independent of the working directory, of ``scrapy.cfg`` and of where the
    package is installed (an editable checkout or a wheel in a venv).
    """
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule(__name__, priority="project")
    return settings


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def relax_for_loopback(settings) -> None:
    """With ``GOVNEWS_VIA`` on loopback, drop the politeness meant for other people's servers.

    At ``spider`` priority: project defaults give way, ``-s`` on the command line does not."""
    if is_loopback_url(settings.get("GOVNEWS_VIA") or ""):
        for key, value in settings.getdict("GOVNEWS_LOOPBACK_OVERRIDES").items():
            settings.set(key, value, priority="spider")
