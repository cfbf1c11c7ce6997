"""A beat scheduler that only schedules while it holds the installation's beat lock.

`bin/entrypoint beat` uses it (`--scheduler worker.beat:LockedScheduler`). Started twice by
mistake (two hosts, a second `docker compose up`, a shell left open), only the beat holding
the lock sends due tasks; the other logs that it waits and sends nothing, and takes over
within a lock lifetime if the first one stops. So no scheduled job runs twice per tick.

The lock is the Redis key `mantelzorg:beat-lock` in the broker's Redis, set with NX and a
time-to-live that the holder renews at every tick (at least every third of the lifetime);
the value names the holder, so only the holder renews or releases it. Without Redis (the
filesystem broker of `make run`) an exclusive file lock next to the schedule file does the
same on one machine. The schedule file itself is opened only once the lock is held, so a
waiting beat never touches the running beat's file.
"""

import fcntl
import logging
import os
import socket
import uuid
from pathlib import Path

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

LOCK_KEY = "mantelzorg:beat-lock"

# Renew the key's lifetime only if we still hold it; 1 when renewed.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
# Delete the key only if we hold it.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


def _redis_url(app) -> str:
    broker = app.conf.broker_url or ""
    if broker.startswith(("redis://", "rediss://")):
        return broker
    url = os.environ.get("REDIS_URL", "")
    return url if url.startswith(("redis://", "rediss://")) else ""


class RedisBeatLock:
    """One holder at a time of `key`, with a lifetime of `ttl` seconds."""

    def __init__(self, url: str, key: str = LOCK_KEY, ttl: float = 30.0):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
        self.key, self.ttl_ms = key, int(ttl * 1000)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire_or_renew(self) -> bool:
        if self.client.eval(_RENEW, 1, self.key, self.token, self.ttl_ms):
            return True
        return bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def holder(self) -> str:
        value = self.client.get(self.key)
        return value.decode() if value else "?"

    def release(self) -> None:
        self.client.eval(_RELEASE, 1, self.key, self.token)


class FileBeatLock:
    """The same on one machine without Redis: an exclusive, non-blocking flock."""

    def __init__(self, path: str):
        self.path, self.handle = path, None

    def acquire_or_renew(self) -> bool:
        if self.handle is not None:
            return True
        handle = open(self.path, "a+")  # noqa: SIM115 - held open while we hold the lock
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self.handle = handle
        return True

    def holder(self) -> str:
        return "another process on this machine"

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class LockedScheduler(PersistentScheduler):
    """PersistentScheduler that sends due tasks only while it holds the beat lock."""

    def __init__(self, *args, **kwargs):
        app = kwargs.get("app") or args[0]
        self.lock_ttl = float(os.environ.get("BEAT_LOCK_TTL_SECONDS", "30"))
        url = _redis_url(app)
        if url:
            self.lock = RedisBeatLock(url, os.environ.get("BEAT_LOCK_KEY", LOCK_KEY),
                                      self.lock_ttl)
        else:
            filename = kwargs.get("schedule_filename") or "celerybeat-schedule"
            self.lock = FileBeatLock(f"{filename}.lock")
        self.holding = False
        self._store_open = False
        self._announced_wait = False
        super().__init__(*args, **kwargs)

    def setup_schedule(self):
        # Opened at the first tick that holds the lock (see tick), never by a waiting beat.
        if self.holding:
            self._open_store()

    def _open_store(self):
        if not self._store_open:
            super().setup_schedule()
            self._store_open = True
            self._heap = None

    def _check_lock(self) -> bool:
        try:
            held = self.lock.acquire_or_renew()
        except Exception as exc:  # Redis away: the broker is too, nothing can be sent
            if self.holding:
                logger.warning("beat lock: Redis unreachable (%s); not scheduling until "
                               "the lock can be renewed", exc.__class__.__name__)
            self.holding = False
            return False
        if held and not self.holding:
            logger.info("beat lock %s taken: this beat schedules", self.lock_key_name)
            self._announced_wait = False
        elif not held and (self.holding or not self._announced_wait):
            try:
                holder = self.lock.holder()
            except Exception:
                holder = "?"
            logger.warning("beat lock %s is held by another beat (%s): this beat waits and "
                           "sends nothing", self.lock_key_name, holder)
            self._announced_wait = True
        self.holding = held
        return held

    @property
    def lock_key_name(self) -> str:
        return getattr(self.lock, "key", None) or Path(self.lock.path).name

    @property
    def lock_interval(self) -> float:
        return max(self.lock_ttl / 3, 0.5)

    def tick(self, *args, **kwargs):
        if not self._check_lock():
            return self.lock_interval
        self._open_store()
        return min(super().tick(*args, **kwargs), self.lock_interval)

    def sync(self):
        if self._store_open:
            super().sync()

    def close(self):
        try:
            if self._store_open:
                super().close()
        finally:
            if self.holding:
                try:
                    self.lock.release()
                except Exception:
                    logger.warning("beat lock: could not release; it expires by itself")
                self.holding = False

    @property
    def info(self):
        return f"{super().info}\n    . lock -> {self.lock_key_name}"
