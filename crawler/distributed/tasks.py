"""The jobs a worker runs: crawl one site (in its own process), re-extract a batch of WARC files.

A crawl job takes the site's lease (crawler/distributed/lease.py) and runs
``python -m crawler.cli crawl --site S --lock site ...`` as a child process,
so every crawl gets a fresh Twisted reactor and a crash stays inside it; the
child dies with the worker process (``PR_SET_PDEATHSIG``), so a killed worker
leaves no orphan crawling on. A job whose site is leased to another job is
delivered again later (``retry``), never run beside it. A crawl that fails
(exit code other than 0) is delivered again after a pause, up to
``GOVNEWS_JOB_MAX_FAILURES`` times. The job is acknowledged only when this
function returns (``acks_late``): a worker killed meanwhile means the job is
delivered again, and the archive makes the second crawl skip what the first
one stored.
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import signal
import subprocess
import sys
import threading

from celery import shared_task
from celery.utils.log import get_task_logger

from crawler.distributed import jobs
from crawler.distributed.lease import Lease
from crawler.lock import EX_TEMPFAIL

log = get_task_logger(__name__)
PR_SET_PDEATHSIG = 1
_clients: dict[str, object] = {}


def _redis(app):
    url = app.conf.broker_url
    if url not in _clients:
        _clients[url] = jobs.client(url)
    return _clients[url]


def _die_with_parent() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before prctl
        os._exit(1)


def crawl_command(site: str, archive: str, options: dict, job: dict) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--site", site, "--archive", archive, "--lock", "site",
           "--progress", "plain", "--job", json.dumps(job)]
    for d in options.get("sites_dirs") or []:
        cmd += ["--sites-dir", d]
    if options.get("via"):
        cmd += ["--via", options["via"]]
    if options.get("full"):
        cmd.append("--full")
    if options.get("since"):
        cmd += ["--since", options["since"]]
    if options.get("recheck_days"):
        cmd += ["--recheck-days", str(int(options["recheck_days"]))]
    if options.get("log_level"):
        cmd += ["--log-level", options["log_level"]]
    for pair in options.get("set") or []:
        cmd += ["-s", pair]
    return cmd


def _pause(seconds: float) -> float:
    return seconds * random.uniform(0.5, 1.5)  # jitter: waiting jobs do not come back in step


def _run_child(cmd: list[str], lease: Lease, max_seconds: float) -> tuple[int, str]:
    child = subprocess.Popen(cmd, preexec_fn=_die_with_parent, stdin=subprocess.DEVNULL)
    lost: list[str] = []

    def on_lost(reason: str) -> None:
        lost.append(reason)
        log.error("lease %s lost (%s): stopping the crawl (pid %d)", lease.key, reason, child.pid)
        child.send_signal(signal.SIGTERM)
        timer = threading.Timer(60, lambda: child.poll() is None and child.kill())
        timer.daemon = True
        timer.start()

    lease.keep(on_lost)
    try:
        code = child.wait(timeout=max_seconds)
        note = f"lease lost: {lost[0]}" if lost else ""
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGTERM)  # Scrapy shuts down gracefully: what it stored stays
        try:
            code = child.wait(timeout=120)
        except subprocess.TimeoutExpired:
            child.kill()
            code = child.wait()
        note = f"ran longer than {max_seconds:g} s"
    return code, note


@shared_task(bind=True, name="govnews.crawl_site", max_retries=None)
def crawl_site(self, job_id: str, site: str, archive: str, options: dict | None = None) -> int:
    conf = self.app.govnews
    r = _redis(self.app)
    worker, pid = self.request.hostname or "?", os.getpid()
    delivery = jobs.delivered(r, job_id, worker, pid)
    lease = Lease(r, f"govnews:lease:site:{site}", conf.lease_seconds)
    if not lease.acquire():
        holder = lease.holder()
        jobs.mark(r, job_id, "waiting", note=f"site leased to pid {holder.get('pid', '?')} on "
                                             f"{holder.get('host', '?')}")
        log.info("job %s: site %s is leased to another job: delivered again later", job_id, site)
        raise self.retry(countdown=_pause(conf.lock_retry_seconds))
    job = {"job_id": job_id, "job_delivery": delivery, "worker": worker, "worker_pid": pid}
    try:
        code, note = _run_child(crawl_command(site, archive, options or {}, job), lease, conf.max_seconds)
    finally:
        lease.release()
    if code == 0:
        jobs.mark(r, job_id, "done", exit_code=code, note=note)
        return code
    if code == EX_TEMPFAIL and not note:  # this machine's lock for the site: a crawl outside the job engine
        jobs.mark(r, job_id, "waiting", exit_code=code, note="site lock held on this machine")
        raise self.retry(countdown=_pause(conf.lock_retry_seconds))
    return _failed(self, r, job_id, code, note or f"crawl exited {code}")


def _failed(task, r, job_id: str, code: int, note: str) -> int:
    conf = task.app.govnews
    failures = jobs.failed_once(r, job_id)
    if failures >= conf.max_failures:
        jobs.mark(r, job_id, "failed", exit_code=code, note=f"{note}; gave up after {failures} failed deliveries")
        log.error("job %s failed %d times: given up (%s)", job_id, failures, note)
        return code
    jobs.mark(r, job_id, "retrying", exit_code=code, note=note)
    raise task.retry(countdown=_pause(conf.lock_retry_seconds) * failures)


@shared_task(bind=True, name="govnews.reextract_warcs", max_retries=None)
def reextract_warcs(self, job_id: str, archive: str, warc_files: list[str], sites_dirs: list[str] | None = None,
                    batch_rows: int = 100_000) -> int:
    """Re-extract the article pages of ``warc_files``; rows committed per partition file, idempotent per job."""
    from crawler.sites import load_registry_with
    from pipelines.reextract import reextract_warc_files
    from warehouse.layout import Layout

    conf = self.app.govnews
    r = _redis(self.app)
    jobs.delivered(r, job_id, self.request.hostname or "?", os.getpid())
    lease = Lease(r, f"govnews:lease:job:{job_id}", conf.lease_seconds)
    if not lease.acquire():  # the same job, delivered twice (its first worker outlived the visibility timeout)
        jobs.mark(r, job_id, "waiting", note="another delivery of this job is running")
        raise self.retry(countdown=_pause(conf.lock_retry_seconds))
    lease.keep(lambda reason: log.error("job %s: lease lost (%s)", job_id, reason))
    try:
        reg = load_registry_with(sites_dirs or [])
        hints = {slug: s.hints() for slug, s in reg.items()}
        summary = reextract_warc_files(Layout.at(archive), hints, warc_files, batch_rows=batch_rows)
    except Exception as exc:
        lease.release()
        log.exception("job %s: reextract failed", job_id)
        return _failed(self, r, job_id, 1, f"{type(exc).__name__}: {exc}")
    lease.release()
    code = 1 if summary.failed else 0
    jobs.mark(r, job_id, "done", exit_code=code,
              note=f"{summary.pages} pages, {summary.rows} new rows, {summary.skipped} already archived")
    return code
