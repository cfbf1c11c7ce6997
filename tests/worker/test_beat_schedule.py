"""The static beat schedule: every task it names exists and accepts its arguments."""

import inspect

import pytest

from mantelzorg.celery import app
from mantelzorg.schedule import beat_schedule

BEAT_SCHEDULE = beat_schedule()


def test_schedule_is_the_apps_schedule():
    assert app.conf.beat_schedule.keys() == BEAT_SCHEDULE.keys()
    assert BEAT_SCHEDULE, "the schedule is empty"


@pytest.mark.parametrize("name, entry", sorted(BEAT_SCHEDULE.items()))
def test_scheduled_task_exists_and_accepts_its_arguments(name, entry):
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks, f"{name}: unknown task {entry['task']}"
    task = app.tasks[entry["task"]]
    inspect.signature(task.run).bind(*entry.get("args", ()), **entry.get("kwargs", {}))
    assert entry["schedule"], f"{name} has no schedule"


@pytest.mark.django_db
def test_heartbeat_counts_runs():
    from worker.models import SchedulerBeat
    from worker.tasks import scheduler_heartbeat

    scheduler_heartbeat("heartbeat")
    scheduler_heartbeat("heartbeat")
    assert SchedulerBeat.objects.get(name="heartbeat").runs == 2
