"""govnews schedule: run ``govnews crawl`` on a cron schedule, for hosts without cron or systemd.

A long-running process built on APScheduler 3 (``BlockingScheduler`` with
``CronTrigger.from_crontab``). Each firing runs ``govnews crawl …`` in a
subprocess, so every crawl gets a fresh Twisted reactor and takes the same
archive lock and writes the same run records as a cron-started crawl. A
firing that comes while the previous crawl still runs is coalesced (one job
instance at a time); a crawl started by someone else meanwhile makes this
one exit 75 with a ``skipped`` record. SIGTERM/SIGINT stop the scheduler and
pass the signal on to a running crawl (Scrapy shuts it down gracefully).

After each crawl that ran (any exit but 75), ``govnews compact`` merges the
day's small Parquet files, as the cron line and the systemd unit do
(``--no-compact`` to skip). With ``--log FILE`` the output of both goes to
FILE, which is rotated before a crawl once it is over ``--log-max-mb``
(FILE.1 … FILE.N, ``--log-keep`` of them).

With a broker (``--broker`` or ``$GOVNEWS_BROKER``) each firing runs
``govnews enqueue …`` instead: one job per site for ``govnews worker``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from crawler.commands import archive_option, sites_option
from crawler.output import UsageError

NAME = "schedule"
HELP = 'run crawls on a cron schedule, e.g. govnews schedule "0 6 * * *" --all'

ROOT = Path(__file__).resolve().parent.parent.parent


def add_arguments(p) -> None:
    p.add_argument("cron", help='a crontab expression: "minute hour day month weekday", e.g. "0 6 * * *"')
    archive_option(p)
    sites_option(p)
    p.add_argument("--site", action="append", help="site slug (repeatable, or comma-separated)")
    p.add_argument("--all", action="store_true", help="every non-demo site in the registry")
    p.add_argument("--via", help="send all requests through this HTTP proxy")
    p.add_argument("--recheck-days", type=int, default=0, metavar="N", help="passed on to govnews crawl")
    p.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="passed on to govnews crawl")
    p.add_argument("--timezone", default=None, help="time zone of the cron expression (default: the host's)")
    p.add_argument("--run-now", action="store_true", help="also run one crawl at once")
    p.add_argument("--max-runs", type=int, default=0, metavar="N", help="exit after N crawls (default: never)")
    p.add_argument("--no-compact", action="store_true", help="do not run govnews compact after each crawl")
    p.add_argument("--log", type=Path, help="append the crawls' and compactions' output to this file (rotated)")
    p.add_argument("--log-max-mb", type=float, default=10, help="rotate --log once it is over this size (MB)")
    p.add_argument("--log-keep", type=int, default=7, help="rotated logs to keep (FILE.1 … FILE.N, default 7)")
    p.add_argument("--broker", default=None,
                   help="enqueue jobs on this Redis broker instead of crawling here (default $GOVNEWS_BROKER)")


def rotate(path: Path, max_bytes: int, keep: int) -> bool:
    """``path`` → ``path.1`` → … → ``path.<keep>`` (the oldest dropped) when it is over ``max_bytes``."""
    try:
        if path.stat().st_size <= max_bytes:
            return False
    except FileNotFoundError:
        return False
    for i in range(keep, 0, -1):
        older = path.with_name(f"{path.name}.{i}")
        if i == keep:
            older.unlink(missing_ok=True)
        else:
            newer = path.with_name(f"{path.name}.{i + 1}")
            if older.exists():
                os.replace(older, newer)
    if keep > 0:
        os.replace(path, path.with_name(f"{path.name}.1"))
    else:
        path.unlink()
    return True


def compact_command(args) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "compact"]
    if args.archive:
        cmd += ["--archive", str(Path(args.archive).resolve())]
    return cmd


def crawl_command(args) -> list[str]:
    broker = getattr(args, "broker", None) or os.environ.get("GOVNEWS_BROKER")
    if broker:  # the job engine crawls: enqueue one job per site (crawler/commands/enqueue.py)
        from crawler.distributed.config import broker_url

        cmd = [sys.executable, "-m", "crawler.cli", "enqueue", "--broker", broker_url(broker)]
    else:
        cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--progress", "plain"]
    if args.archive:
        cmd += ["--archive", str(Path(args.archive).resolve())]
    for d in args.sites_dir or []:
        cmd += ["--sites-dir", str(Path(d).resolve())]
    for s in args.site or []:
        cmd += ["--site", s]
    if args.all:
        cmd.append("--all")
    if args.via:
        cmd += ["--via", args.via]
    if args.recheck_days:
        cmd += ["--recheck-days", str(args.recheck_days)]
    for pair in args.set:
        cmd += ["-s", pair]
    return cmd


class Runner:
    """The scheduled job: one crawl subprocess at a time; counts runs; forwards signals."""

    def __init__(self, cmd: list[str], max_runs: int, scheduler, *, then: list[str] | None = None,
                 log: Path | None = None, log_max_bytes: int = 10 << 20, log_keep: int = 7) -> None:
        self.cmd, self.max_runs, self.scheduler = cmd, max_runs, scheduler
        self.then = then  # the command run after each crawl that ran (compact)
        self.log, self.log_max_bytes, self.log_keep = log, log_max_bytes, log_keep
        self.runs = 0
        self.last_code: int | None = None
        self.child: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.stopping = False

    def __call__(self) -> None:
        with self.lock:
            if self.stopping:
                return
            if self.log is not None:
                rotate(self.log, self.log_max_bytes, self.log_keep)
        began = time.monotonic()
        code = self._run(self.cmd)
        with self.lock:
            self.runs += 1
            self.last_code = code
        self._say(f"govnews schedule: crawl #{self.runs} exited {code} after {time.monotonic() - began:.1f} s")
        if self.then and code != 75 and not self.stopping:  # 75: skipped, another crawl holds the lock
            compacted = self._run(self.then)
            self._say(f"govnews schedule: compact after crawl #{self.runs} exited {compacted}")
        if self.max_runs and self.runs >= self.max_runs:
            self.stop()

    def _run(self, cmd: list[str]) -> int:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        out = open(self.log, "ab") if self.log is not None else None
        try:
            with self.lock:
                if self.stopping:
                    return 143
                self.child = subprocess.Popen(cmd, cwd=os.getcwd(), env=env, stdout=out, stderr=out)
            code = self.child.wait()
        finally:
            with self.lock:
                self.child = None
            if out is not None:
                out.close()
        return code

    def _say(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)
        if self.log is not None:
            with open(self.log, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    def stop(self, signum: int | None = None) -> None:
        with self.lock:
            self.stopping = True
            if signum is not None and self.child is not None:
                self.child.send_signal(signum)
        self.scheduler.shutdown(wait=False)


def run(args) -> int:
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    if not args.site and not args.all:
        raise UsageError("name sites with --site SLUG[,SLUG] or use --all")
    if args.max_runs < 0:
        raise UsageError("--max-runs must be >= 0")
    try:
        trigger = CronTrigger.from_crontab(args.cron, timezone=args.timezone)
    except ValueError as exc:
        raise UsageError(f"bad cron expression {args.cron!r}: {exc}") from None
    scheduler = BlockingScheduler(executors={"default": ThreadPoolExecutor(1)},
                                  job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
                                  timezone=trigger.timezone)
    if args.log_max_mb <= 0 or args.log_keep < 0:
        raise UsageError("--log-max-mb must be positive and --log-keep not negative")
    enqueues = bool(getattr(args, "broker", None) or os.environ.get("GOVNEWS_BROKER"))  # workers crawl later
    runner = Runner(crawl_command(args), args.max_runs, scheduler,
                    then=None if args.no_compact or enqueues else compact_command(args), log=args.log,
                    log_max_bytes=int(args.log_max_mb * 1024 * 1024), log_keep=args.log_keep)
    kwargs = {}
    if args.run_now:
        from datetime import datetime

        kwargs["next_run_time"] = datetime.now(trigger.timezone)
    job = scheduler.add_job(runner, trigger, id="govnews-crawl", name="govnews crawl", **kwargs)

    def on_signal(signum, frame) -> None:  # noqa: ARG001
        print(f"govnews schedule: signal {signum}: stopping", file=sys.stderr, flush=True)
        threading.Thread(target=runner.stop, args=(signum,), daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"govnews schedule: {' '.join(runner.cmd[3:])} on {args.cron!r} ({trigger.timezone}); "
          f"next at {getattr(job, 'next_run_time', None) or 'once started'}", file=sys.stderr, flush=True)
    scheduler.start()
    # shutdown(wait=False) returns before a crawl ends: wait for it
    while True:
        with runner.lock:
            child = runner.child
        if child is None:
            break
        child.wait()
    return 0 if runner.last_code in (None, 0) else runner.last_code
