"""Creating staff accounts with a role."""

from django.contrib.auth.models import Group, User
from django.db import transaction

from core import roles


@transaction.atomic
def create_staff_user(username: str, password: str, role: str, *, first_name: str = "",
                      last_name: str = "", email: str = "") -> User:
    """A consulent or coordinator. Coordinators get is_staff for Django admin."""
    if role not in (roles.CONSULENT, roles.COORDINATOR):
        raise ValueError(f"Unknown role {role!r}")
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_staff = role == roles.COORDINATOR
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user
