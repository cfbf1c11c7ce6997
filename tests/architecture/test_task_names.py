"""Each app owns its jobs, but a task keeps the name it was queued under: a message put in
Redis before the restructure (or by a beat running older code) must still find its task."""

import pytest

from mantelzorg.celery import app

# name in the queue -> the module that owns the task now
TASKS = {
    "worker.ping": "worker.tasks",
    "worker.scheduler_heartbeat": "worker.tasks",
    "worker.dispatch_letters": "worker.tasks",
    "worker.make_print_batches": "worker.tasks",
    "worker.send_newsletter": "worker.tasks",
    "worker.send_scheduled_newsletters": "worker.tasks",
    "worker.reap_stuck_deliveries": "worker.tasks",
    "worker.failed_deliveries_digest": "worker.tasks",
    "worker.render_newsletter_preview": "worker.tasks",
    "worker.purge_mail_data": "worker.tasks",
    "worker.clear_expired_sessions": "worker.tasks",
    "worker.send_link_mail": "registrations.tasks",
    "worker.run_retention": "registrations.tasks",
    "registrations.check_import": "registrations.tasks",
    "registrations.run_import": "registrations.tasks",
    "worker.expire_waardering_questions": "appreciation.tasks",
    "worker.close_campaigns": "appreciation.tasks",
    "worker.send_campaign_invitations": "appreciation.tasks",
    "appreciation.remove_old_payment_files": "appreciation.tasks",
    "appreciation.invite_waardering_renewals": "appreciation.tasks",
    "appreciation.campaign_stock_notice": "appreciation.tasks",
    "insight.render_annual_report": "insight.tasks",
    "mantelzorg.send_staff_invite": "mantelzorg.tasks",
}


@pytest.mark.parametrize("name, module", sorted(TASKS.items()))
def test_a_queued_task_name_still_finds_its_task(name, module):
    app.loader.import_default_modules()
    assert name in app.tasks, f"{name} is no longer registered: queued messages would fail"
    assert app.tasks[name].run.__module__ == module


def test_every_project_task_is_listed_here():
    """A new task gets a line above, so renaming one later is a conscious decision."""
    app.loader.import_default_modules()
    ours = {name for name, task in app.tasks.items()
            if task.run.__module__.split(".")[0] in {"worker", "registrations",
                                                     "appreciation", "insight", "mantelzorg"}}
    assert ours == set(TASKS)
