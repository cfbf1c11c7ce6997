"""The static beat schedule: one beat process, every scheduled job listed here.

A test imports every task named here and binds it to these arguments, so a renamed task
breaks the build, not the night. Intervals that tests need to shorten are parameters.
"""


def beat_schedule(heartbeat_seconds: float = 60.0) -> dict:
    return {
        "scheduler-heartbeat": {
            "task": "worker.scheduler_heartbeat",
            "schedule": heartbeat_seconds,
            "kwargs": {"name": "heartbeat"},
        },
    }
