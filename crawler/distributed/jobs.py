"""Each job's state in Redis: a hash ``govnews:job:<id>`` and, per enqueue, a batch of job ids.

Fields: ``kind`` (crawl | reextract), ``target`` (the site, or the WARC files),
``state`` (queued, running, waiting = its site leased to another job,
retrying = failed and delivered again later, done, failed = gave up),
``deliveries`` (how often a worker started it), ``failures``, ``worker`` and
``worker_pid`` (who has it now / had it last), ``exit_code``, ``note``. Kept
30 days. What was crawled is in the archive's run records; this is for
watching the queue (``govnews enqueue --wait``).
"""

from __future__ import annotations

import time
import uuid

TTL_SECONDS = 30 * 86400
FINAL = ("done", "failed")


def client(url: str):
    """A redis-py client that rides out a Redis restart (retries with backoff for about half a minute)."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    if url.startswith("redis+socket://"):
        url = "unix://" + url[len("redis+socket://"):]
    return redis.Redis.from_url(
        url, decode_responses=True, socket_connect_timeout=5, socket_timeout=30,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), 20),
        retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
    )


def new_id(prefix: str) -> str:
    return f"{prefix}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{uuid.uuid4().hex[:10]}"


def _key(job_id: str) -> str:
    return f"govnews:job:{job_id}"


def batch_key(batch_id: str) -> str:
    return f"govnews:batch:{batch_id}"


def create(r, batch_id: str, job_id: str, kind: str, target: str) -> None:
    pipe = r.pipeline()
    pipe.hset(_key(job_id), mapping={"kind": kind, "target": target, "state": "queued", "deliveries": 0,
                                     "failures": 0, "batch": batch_id, "queued_at": time.time()})
    pipe.expire(_key(job_id), TTL_SECONDS)
    pipe.rpush(batch_key(batch_id), job_id)
    pipe.expire(batch_key(batch_id), TTL_SECONDS)
    pipe.execute()


def delivered(r, job_id: str, worker: str, pid: int) -> int:
    """A worker started the job: count the delivery, say who has it; returns the delivery number."""
    pipe = r.pipeline()
    pipe.hincrby(_key(job_id), "deliveries", 1)
    pipe.hset(_key(job_id), mapping={"state": "running", "worker": worker, "worker_pid": pid,
                                     "started_at": time.time()})
    pipe.expire(_key(job_id), TTL_SECONDS)
    return int(pipe.execute()[0])


def mark(r, job_id: str, state: str, **fields) -> None:
    r.hset(_key(job_id), mapping={"state": state, "updated_at": time.time(), **{k: v for k, v in fields.items()
                                                                                 if v is not None}})


def failed_once(r, job_id: str) -> int:
    return int(r.hincrby(_key(job_id), "failures", 1))


def get(r, job_id: str) -> dict:
    return r.hgetall(_key(job_id))


def batch(r, batch_id: str) -> dict[str, dict]:
    return {job_id: get(r, job_id) for job_id in r.lrange(batch_key(batch_id), 0, -1)}
