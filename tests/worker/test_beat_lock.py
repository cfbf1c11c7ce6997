"""The beat lock: two beat schedulers against the real Redis, only the lock holder sends.

The clock is moved by hand (time_machine): each round has exactly one due moment, so the
tests count sends exactly, without waiting and whatever the machine's speed."""

import datetime
import uuid

import pytest
import time_machine

from mantelzorg.celery import app
from worker.beat import FileBeatLock, LockedScheduler


@pytest.fixture
def lock_env(monkeypatch):
    key = f"mantelzorg:test-beat-lock:{uuid.uuid4().hex}"
    monkeypatch.setenv("BEAT_LOCK_KEY", key)
    monkeypatch.setenv("BEAT_LOCK_TTL_SECONDS", "30")
    # One job due every minute; the tests move the clock a minute and a bit between rounds,
    # so every round has exactly one due moment, whatever the machine's speed.
    monkeypatch.setitem(app.conf, "beat_schedule", {
        "heartbeat": {"task": "mantelzorg.scheduler_heartbeat", "schedule": 60.0}})
    return key


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.UTC),
                             tick=False) as traveller:
        yield traveller


def make_scheduler(tmp_path, name, sent):
    scheduler = LockedScheduler(app=app, schedule_filename=str(tmp_path / name))
    scheduler.apply_entry = lambda entry, producer=None: sent.append((name, entry.name))
    return scheduler


def rounds(clock, schedulers, count):
    """`count` due moments: each scheduler ticks once, then the clock moves past the next."""
    for _ in range(count):
        for scheduler in schedulers:
            scheduler.tick()
        clock.shift(ONE_ROUND)


ONE_ROUND = datetime.timedelta(seconds=61)


def test_only_the_lock_holder_sends_due_tasks(tmp_path, lock_env, clock, caplog):
    sent = []
    first = make_scheduler(tmp_path, "first", sent)
    second = make_scheduler(tmp_path, "second", sent)
    try:
        with caplog.at_level("INFO", logger="worker.beat"):
            first.tick()  # takes the lock; the job is not due yet
            second.tick()
            assert first.holding and not second.holding
            assert first.lock.client.get(lock_env) == first.lock.token.encode()
            clock.shift(ONE_ROUND)
            rounds(clock, [second, first], 3)
        assert first.holding and not second.holding
        assert sent == [("first", "heartbeat")] * 3, "once per due moment, by the holder only"
        assert not (tmp_path / "second").exists() and not list(tmp_path.glob("second.*")), \
            "the waiting beat never opened its schedule file"
        assert "is held by another beat" in caplog.text
        # The holder renews the lock's lifetime at every tick, so it never runs out under it.
        first.lock.client.pexpire(lock_env, 1000)
        first.tick()
        assert first.lock.client.pttl(lock_env) > 1000
    finally:
        first.close()
    assert not first.holding and not first.lock.client.exists(lock_env), "released on close"
    # The holder stopped: the waiting beat takes over at its next tick.
    sent.clear()
    try:
        second.tick()
        assert second.holding
        assert second.lock.client.get(lock_env) == second.lock.token.encode()
        clock.shift(ONE_ROUND)
        rounds(clock, [second], 2)
        assert sent == [("second", "heartbeat")] * 2
    finally:
        second.close()
    assert not second.lock.client.exists(lock_env), "released on close"


def test_a_lost_lock_stops_sending(tmp_path, lock_env, clock):
    sent = []
    first = make_scheduler(tmp_path, "first", sent)
    try:
        first.tick()
        clock.shift(ONE_ROUND)
        first.tick()
        assert first.holding and sent == [("first", "heartbeat")]
        first.lock.client.set(lock_env, "another-beat")  # e.g. expired while paused
        sent.clear()
        clock.shift(ONE_ROUND)
        rounds(clock, [first], 3)
        assert not first.holding and sent == []
    finally:
        first.close()
    assert first.lock.client.get(lock_env) == b"another-beat", "not released: not ours"
    first.lock.client.delete(lock_env)


def test_file_lock_without_redis(tmp_path):
    one, two = FileBeatLock(str(tmp_path / "beat.lock")), FileBeatLock(str(tmp_path / "beat.lock"))
    assert one.acquire_or_renew() and one.acquire_or_renew()
    assert not two.acquire_or_renew()
    one.release()
    assert two.acquire_or_renew()
    two.release()
