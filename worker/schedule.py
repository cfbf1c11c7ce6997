"""The static beat schedule: one beat process, every scheduled job listed here.

A test imports every task named here and calls its signature check with these arguments,
so a renamed task breaks the build, not the night.
"""

BEAT_SCHEDULE = {
    "scheduler-heartbeat": {
        "task": "worker.scheduler_heartbeat",
        "schedule": 60.0,
        "kwargs": {"name": "heartbeat"},
    },
}
