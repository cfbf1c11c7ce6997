"""The static beat schedule: one beat process, every scheduled job listed here.

A test imports every task named here and binds it to these arguments, so a renamed task
breaks the build, not the night. Intervals that tests need to shorten are parameters.
"""

from celery.schedules import crontab


def beat_schedule(heartbeat_seconds: float = 60.0) -> dict:
    return {
        "scheduler-heartbeat": {
            "task": "worker.scheduler_heartbeat",
            "schedule": heartbeat_seconds,
            "kwargs": {"name": "heartbeat"},
        },
        # Ends former caregivers' registrations after two years, queues the notice a month
        # before, and erases personal data after the grace period.
        "registrations-retention": {
            "task": "worker.run_retention",
            "schedule": crontab(hour=2, minute=30),
        },
        # Printed batches' PDFs go after 30 days, letters' and deliveries' error texts
        # (SMTP answers quote addresses) after 90 (worker/retention.py).
        "mail-retention": {
            "task": "worker.purge_mail_data",
            "schedule": crontab(hour=2, minute=45),
        },
        # Sessions past their expiry: an abandoned public wizard's answers (an IBAN, too)
        # are gone within the hour after its 30 idle minutes.
        "sessions-clear": {
            "task": "worker.clear_expired_sessions",
            "schedule": crontab(minute=7),
        },
        # Payment files (names and IBANs) of batches paid more than 90 days ago.
        "payment-files-retention": {
            "task": "appreciation.remove_old_payment_files",
            "schedule": crontab(hour=3, minute=30),
        },
        # Queued letters go out by e-mail, or wait for the next print batch.
        "letters-dispatch": {
            "task": "worker.dispatch_letters",
            "schedule": crontab(minute="*/5"),
        },
        "newsletters-send-at": {
            "task": "worker.send_scheduled_newsletters",
            "schedule": 60.0,
        },
        "deliveries-reaper": {
            "task": "worker.reap_stuck_deliveries",
            "schedule": crontab(minute="*/5"),
        },
        "failed-deliveries-digest": {
            "task": "worker.failed_deliveries_digest",
            "schedule": crontab(hour=7, minute=30),
        },
        # Waardering requests with an unanswered question past its date are rejected, and
        # payment files of no batch (a run killed before its commit) are moved aside.
        "waardering-unanswered-questions": {
            "task": "worker.expire_waardering_questions",
            "schedule": crontab(hour=3, minute=15),
        },
        # Campaigns (swimming tickets, attentie) whose period is over are closed.
        "campaigns-close": {
            "task": "worker.close_campaigns",
            "schedule": crontab(hour=0, minute=30),
        },
        # Campaigns that have started invite everyone who may ask, once; before the print
        # batches, so the postal copies are printed the same morning.
        "campaigns-invitations": {
            "task": "worker.send_campaign_invitations",
            "schedule": crontab(hour=5, minute=30),
        },
        # While a waardering window is open, last year's recipients are invited once to
        # ask again in one step; before the print batches, like the campaign invitations.
        "waardering-renewal-invitations": {
            "task": "appreciation.invite_waardering_renewals",
            "schedule": crontab(hour=5, minute=40),
        },
        # Campaigns whose stock ran out while people wait for codes: coordinators hear it.
        "campaigns-stock-notice": {
            "task": "appreciation.campaign_stock_notice",
            "schedule": crontab(hour=7, minute=35),
        },
        "letters-print-batches": {
            "task": "worker.make_print_batches",
            "schedule": crontab(hour=6, minute=0),
        },
    }
