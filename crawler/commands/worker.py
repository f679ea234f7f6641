"""govnews worker: run crawl and re-extraction jobs from the Redis broker (one per machine, or more).

    govnews worker --broker redis://queue.example:6379/0 --concurrency 4

A Celery worker (prefork pool) on the queue ``govnews``: each of its
``--concurrency`` processes runs one job at a time; a crawl job runs
``govnews crawl --site S --lock site`` as its own child process. Jobs are
acknowledged after they finish, so a job whose worker is killed is delivered
again (at once when one pool process dies; after
``GOVNEWS_JOB_VISIBILITY_SECONDS`` when the whole worker or its machine goes).
Settings: environment variables ``GOVNEWS_JOB_*``, ``GOVNEWS_LEASE_SECONDS``,
``GOVNEWS_LOCK_RETRY_SECONDS`` (crawler/distributed/config.py). SIGTERM (Celery's
warm shutdown): no new job; the running ones finish. SIGQUIT (cold shutdown):
stop now; the jobs it held are delivered again once the visibility timeout
passes.
"""

from __future__ import annotations

import os
import socket

from crawler.output import UsageError

NAME = "worker"
HELP = "run crawl / re-extraction jobs from a Redis broker (see README: More than one machine)"


def add_arguments(p) -> None:
    p.add_argument("--broker", default=None, help="Redis URL (default $GOVNEWS_BROKER), e.g. redis://host:6379/0")
    p.add_argument("--concurrency", type=int, default=1, metavar="N", help="jobs at once on this machine (default 1)")
    p.add_argument("--name", default=None, help="worker node name (default govnews-<pid>@<host>)")
    p.add_argument("--loglevel", choices=["DEBUG", "INFO", "WARNING", "ERROR"], default="INFO")


def run(args) -> int:
    from crawler.distributed.config import make_app, settings

    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    name = args.name or f"govnews-{os.getpid()}@{socket.gethostname()}"
    if not all(c.isalnum() or c in "-_.@" for c in name):
        raise UsageError(f"--name may hold letters, digits and -_.@ only, not {args.name!r}")
    conf = settings(args.broker)
    app = make_app(conf)
    app.worker_main(["worker", f"--concurrency={args.concurrency}", f"--hostname={name}",
                     f"--loglevel={args.loglevel}", "--pool=prefork", f"--queues={app.conf.task_default_queue}",
                     "--without-gossip", "--without-mingle"])
    return 0
