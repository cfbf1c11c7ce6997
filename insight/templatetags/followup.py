"""`{% overdue_task_count as n %}`: the number in the staff menu next to "Opvolging"."""

from django import template

from core import roles

register = template.Library()


@register.simple_tag(takes_context=True)
def overdue_task_count(context) -> int:
    """One count query, only for staff (the menu is never shown to anyone else)."""
    from insight.selectors import overdue_count

    request = context.get("request")
    if request is None or not roles.is_staff_member(request.user):
        return 0
    return overdue_count()
