"""State machines: every transition is recorded with who and why."""

from django_fsm import transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description


def logged_transition(**kwargs):
    """A django-fsm transition that django-fsm-log records with who (`by`) and why
    (`description`)."""
    def decorate(method):
        return fsm_log_by(fsm_log_description(transition(**kwargs)(method)))
    return decorate
