"""A lease in Redis: one holder of a name at a time across all machines, for a limited time.

``SET key value NX PX ttl`` takes it, where ``value`` carries a random token
(and who holds it, for messages); a holder renews it (``PEXPIRE`` only while
the value is still its own, in one Lua script) every third of the ttl, and
releases it with a compare-and-delete script, so a holder whose lease already
expired and went to someone else never removes the new holder's. A holder
that cannot renew before its ttl runs out (its lease taken, Redis away too
long) is told so and must stop. Unlike ``flock``, it holds across machines
and outlives no dead holder longer than the ttl.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class Lease:
    def __init__(self, client, key: str, ttl_seconds: float) -> None:
        self.client, self.key = client, key
        self.ttl_ms = max(1, int(ttl_seconds * 1000))
        self.value = json.dumps({"token": uuid.uuid4().hex, "host": socket.gethostname(), "pid": os.getpid(),
                                 "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
        self._renew = client.register_script(RENEW)
        self._release = client.register_script(RELEASE)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_renewed = 0.0
        self.lost = False

    def acquire(self) -> bool:
        if self.client.set(self.key, self.value, nx=True, px=self.ttl_ms):
            self.last_renewed = time.monotonic()
            return True
        return False

    def holder(self) -> dict:
        raw = self.client.get(self.key)
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {}

    def renew(self) -> bool:
        if self._renew(keys=[self.key], args=[self.value, self.ttl_ms]) == 1:
            self.last_renewed = time.monotonic()
            return True
        return False

    def release(self) -> bool:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        return self._release(keys=[self.key], args=[self.value]) == 1

    def keep(self, on_lost: Callable[[str], None]) -> None:
        """Renew in a thread until :meth:`release`; call ``on_lost(reason)`` once if the lease is gone."""
        self._stop.clear()

        def loop() -> None:
            period = self.ttl_ms / 3000.0
            while not self._stop.wait(period):
                try:
                    if self.renew():
                        continue
                    reason = "taken by another holder or expired"
                except Exception as exc:  # Redis away: the lease holds until its ttl runs out
                    if time.monotonic() - self.last_renewed < self.ttl_ms / 1000.0:
                        continue
                    reason = f"not renewed within its ttl ({type(exc).__name__})"
                self.lost = True
                on_lost(reason)
                return

        self._thread = threading.Thread(target=loop, name=f"lease {self.key}", daemon=True)
        self._thread.start()
