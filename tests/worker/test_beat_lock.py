"""The beat lock: two beat schedulers against the real Redis, only the lock holder sends."""

import time
import uuid

import pytest

from mantelzorg.celery import app
from worker.beat import FileBeatLock, LockedScheduler


@pytest.fixture
def lock_env(monkeypatch):
    key = f"mantelzorg:test-beat-lock:{uuid.uuid4().hex}"
    monkeypatch.setenv("BEAT_LOCK_KEY", key)
    monkeypatch.setenv("BEAT_LOCK_TTL_SECONDS", "3")
    # One job due every 0.2 s, so a tick of a few seconds has several due moments.
    monkeypatch.setitem(app.conf, "beat_schedule", {
        "fast-heartbeat": {"task": "mantelzorg.scheduler_heartbeat", "schedule": 0.2}})
    return key


def make_scheduler(tmp_path, name, sent):
    scheduler = LockedScheduler(app=app, schedule_filename=str(tmp_path / name))
    scheduler.apply_entry = lambda entry, producer=None: sent.append((name, entry.name))
    return scheduler


def tick_all(schedulers, seconds=1.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for scheduler in schedulers:
            scheduler.tick()
        time.sleep(0.02)


def test_only_the_lock_holder_sends_due_tasks(tmp_path, lock_env, caplog):
    sent = []
    first = make_scheduler(tmp_path, "first", sent)
    second = make_scheduler(tmp_path, "second", sent)
    try:
        with caplog.at_level("INFO", logger="worker.beat"):
            tick_all([first, second])
        assert first.holding and not second.holding
        assert sent, "the holder sent the due jobs"
        assert {name for name, _ in sent} == {"first"}
        assert 4 <= len(sent) <= 9, "one send per due moment (every 0.2 s for 1.5 s)"
        assert not (tmp_path / "second").exists() and not list(tmp_path.glob("second.*")), \
            "the waiting beat never opened its schedule file"
        assert "is held by another beat" in caplog.text
        assert first.lock.client.pttl(lock_env) > 0
    finally:
        first.close()
    # The holder stops: the waiting beat takes over at its next tick.
    sent.clear()
    try:
        tick_all([second])
        assert second.holding
        assert {name for name, _ in sent} == {"second"}
    finally:
        second.close()
    assert not second.lock.client.exists(lock_env), "released on close"


def test_a_lost_lock_stops_sending(tmp_path, lock_env):
    sent = []
    first = make_scheduler(tmp_path, "first", sent)
    try:
        first.tick()
        assert first.holding
        first.lock.client.set(lock_env, "another-beat")  # e.g. expired while paused
        sent.clear()
        tick_all([first], seconds=1)
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
