"""The Celery app and the job engine's settings (environment variables, one prefix).

``GOVNEWS_BROKER``                 Redis URL (``redis://host:6379/0``); ``--broker`` overrides it.
``GOVNEWS_JOB_VISIBILITY_SECONDS`` how long a delivered, unacknowledged job stays with its worker
                                   before Redis hands it to another (default 86400: longer than the
                                   longest crawl, see ``GOVNEWS_JOB_MAX_SECONDS``).
``GOVNEWS_JOB_MAX_SECONDS``        a crawl running longer is stopped (SIGTERM) and counted as a
                                   failed delivery (default 72000, 20 h).
``GOVNEWS_JOB_MAX_FAILURES``       deliveries that may fail before a job is given up (default 3).
``GOVNEWS_LEASE_SECONDS``          the site lease's time to live; renewed every third of it (default 60).
``GOVNEWS_LOCK_RETRY_SECONDS``     a job whose site is leased to another job waits about this long
                                   before it is delivered again (default 60).
``GOVNEWS_RESTORE_SECONDS``        how often a worker looks for jobs whose worker vanished (default 60).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.output import UsageError

BROKER_SCHEMES = ("redis", "rediss", "redis+socket")
QUEUE = "govnews"


@dataclass(frozen=True)
class Settings:
    broker: str
    visibility_seconds: float = 86400.0
    max_seconds: float = 72000.0
    max_failures: int = 3
    lease_seconds: float = 60.0
    lock_retry_seconds: float = 60.0
    restore_seconds: float = 60.0


def _number(name: str, default: float, *, minimum: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number, not {raw!r}") from None
    if value < minimum:
        raise UsageError(f"{name} must be at least {minimum:g}")
    return value


def broker_url(given: str | None) -> str:
    """The broker URL from ``--broker`` or ``$GOVNEWS_BROKER``; only Redis URLs pass."""
    url = given or os.environ.get("GOVNEWS_BROKER") or ""
    if not url:
        raise UsageError("no broker: pass --broker redis://HOST:6379/0 or set GOVNEWS_BROKER")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise UsageError(f"--broker: not a URL: {url!r}") from None
    if parts.scheme not in BROKER_SCHEMES or any(c.isspace() for c in url):
        raise UsageError(f"--broker must be a {'/'.join(s + '://' for s in BROKER_SCHEMES)} URL, not {url!r}")
    if parts.scheme != "redis+socket" and not parts.hostname:
        raise UsageError(f"--broker names no host: {url!r}")
    return url


def settings(given_broker: str | None = None) -> Settings:
    visibility = _number("GOVNEWS_JOB_VISIBILITY_SECONDS", 86400.0, minimum=1)
    max_seconds = _number("GOVNEWS_JOB_MAX_SECONDS", 72000.0, minimum=1)
    if max_seconds >= visibility:
        raise UsageError("GOVNEWS_JOB_MAX_SECONDS must be below GOVNEWS_JOB_VISIBILITY_SECONDS "
                         "(else a running job is handed to a second worker)")
    return Settings(
        broker=broker_url(given_broker),
        visibility_seconds=visibility,
        max_seconds=max_seconds,
        max_failures=int(_number("GOVNEWS_JOB_MAX_FAILURES", 3, minimum=1)),
        lease_seconds=_number("GOVNEWS_LEASE_SECONDS", 60.0, minimum=1),
        lock_retry_seconds=_number("GOVNEWS_LOCK_RETRY_SECONDS", 60.0, minimum=0.1),
        restore_seconds=_number("GOVNEWS_RESTORE_SECONDS", 60.0, minimum=0.5),
    )


def make_app(conf: Settings):
    """A Celery app whose jobs are acknowledged after they finish and delivered again when their worker dies."""
    from celery import Celery

    app = Celery("govnews", broker=conf.broker, include=["crawler.distributed.tasks"])
    app.conf.update(
        task_acks_late=True,  # acknowledge after the job, not on receipt
        task_reject_on_worker_lost=True,  # a worker process killed mid-job: the job goes back to the queue
        worker_prefetch_multiplier=1,  # a worker holds no job it has not started
        broker_transport_options={
            "visibility_timeout": conf.visibility_seconds,  # unacknowledged this long: delivered again
            "unacked_restore_interval": conf.restore_seconds,
            "unacked_restore_throttle": 1,
        },
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # Redis restarting: keep trying
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,  # job state lives in Redis hashes (crawler/distributed/jobs.py)
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        worker_enable_remote_control=True,
    )
    app.govnews = conf
    return app
