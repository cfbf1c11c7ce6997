"""Staff roles: consulent and coordinator, as Django groups with their permissions.

A consulent works with caregivers and their requests in the back office. A coordinator can do
all of that and also edits reference data (wijken, postcodes, yearly rules) in Django admin,
loads the whole postcode table from a CSV (/backoffice/postcodes/), manages the staff
accounts (/backoffice/medewerkers/: invite, switch off, reset the second factor, change
the role), sets up signing in through the organisation (Beheer) and looks after the
system. The groups are (re)built after every migrate, so a new permission added here
reaches every installation.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CONSULENT = "consulent"
COORDINATOR = "coordinator"
ROLE_CHOICES = [(CONSULENT, "Consulent"), (COORDINATOR, "Coördinator")]

CONSULENT_PERMISSIONS = [
    "registrations.view_caregiver",
    "registrations.add_caregiver",
    "registrations.change_caregiver",
    "registrations.view_district",
    "registrations.view_postcoderange",
    "appreciation.view_appreciationyear",
    "appreciation.view_appreciationrequest",
    "appreciation.add_appreciationrequest",
    "appreciation.change_appreciationrequest",
    "appreciation.view_campaign",
    "appreciation.view_campaignrequest",
    "appreciation.change_campaignrequest",
    "insight.view_followuptask",
    "insight.change_followuptask",
    "insight.add_contactmoment",
    "insight.view_contactmoment",
]
COORDINATOR_PERMISSIONS = CONSULENT_PERMISSIONS + [
    "registrations.add_district",
    "registrations.change_district",
    "registrations.add_postcoderange",
    "registrations.change_postcoderange",
    "registrations.delete_postcoderange",
    "registrations.view_registrationrules",
    "registrations.change_registrationrules",
    "appreciation.add_appreciationyear",
    "appreciation.change_appreciationyear",
    "appreciation.view_paymentbatch",
    "appreciation.add_paymentbatch",
    "appreciation.change_paymentbatch",
    "appreciation.add_campaign",
    "appreciation.change_campaign",
    "worker.view_workerping",
    "worker.add_workerping",
    "insight.view_insightrules",
    "insight.change_insightrules",
    "mantelzorg.view_staffsigninsettings",
    "mantelzorg.add_staffsigninsettings",
    "mantelzorg.change_staffsigninsettings",
]


def _permissions(names):
    """The permissions that exist so far: during migrate they appear app by app."""
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def ensure_roles(**kwargs):
    """Create or update both groups with their permissions.

    Connected to post_migrate, which fires once per app; the last call sees every permission.
    """
    for group_name, names in ((CONSULENT, CONSULENT_PERMISSIONS),
                              (COORDINATOR, COORDINATOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(_permissions(names))


def has_role(user, *role_names) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=role_names).exists()


def is_staff_member(user) -> bool:
    """May use the back office: a consulent or a coordinator."""
    return has_role(user, CONSULENT, COORDINATOR)


def is_coordinator(user) -> bool:
    return has_role(user, COORDINATOR)
