"""Registrations that may be the same person: merge them, or say they are different people.

A new registration that looks like one still running is held back as "te controleren"
(services.register sets `duplicate_check`); what a consulent decides here releases it.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Caregiver, CareRecipient, ChangeKind, EndReason, NotDuplicate, RecordChange
from .selectors import running_duplicates
from .services import activate_if_ready


@transaction.atomic
def merge_duplicate(duplicate: Caregiver, keep: Caregiver, by) -> Caregiver:
    """The same person registered twice: move care recipients to `keep`, end the other."""
    if duplicate.pk == keep.pk:
        raise ValueError("A registration cannot be merged with itself.")
    duplicate = Caregiver.objects.select_for_update().get(pk=duplicate.pk)
    CareRecipient.objects.filter(caregiver=duplicate).update(caregiver=keep)
    duplicate.merged_into = keep
    duplicate.duplicate_check = False
    duplicate.end_registration(reason=EndReason.MERGED, by=by,
                               description=_("Samengevoegd met #%(id)s") % {"id": keep.pk})
    duplicate.save()
    release_if_no_duplicates_left(keep, by)
    return keep


@transaction.atomic
def mark_not_duplicate(caregiver: Caregiver, other: Caregiver, by) -> None:
    """Two registrations look alike but are different people: stop suggesting a merge."""
    for first, second in ((caregiver, other), (other, caregiver)):
        NotDuplicate.objects.get_or_create(caregiver=first, other=second, defaults={"by": by})
    for person in (caregiver, other):
        release_if_no_duplicates_left(person, by)


@transaction.atomic
def resolve_as_separate_person(caregiver: Caregiver, by) -> Caregiver:
    """A consulent looked at a registration held back as a possible duplicate: it is
    someone else than every look-alike. It goes on as a registration of its own."""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    for other in running_duplicates(caregiver):
        for first, second in ((caregiver, other), (other, caregiver)):
            NotDuplicate.objects.get_or_create(caregiver=first, other=second,
                                               defaults={"by": by})
    release_if_no_duplicates_left(caregiver, by)
    return caregiver


def release_if_no_duplicates_left(caregiver: Caregiver, by) -> None:
    """Clear the "possible duplicate" hold once no running look-alike is left, and
    activate the registration if nothing else holds it back."""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    if not caregiver.duplicate_check or running_duplicates(caregiver).exists():
        return
    caregiver.duplicate_check = False
    caregiver.save(update_fields=["duplicate_check"])
    RecordChange.objects.create(caregiver=caregiver, kind=ChangeKind.DUPLICATE_RESOLVED, by=by)
    activate_if_ready(caregiver, by=by, description=_("Gecontroleerd: een andere persoon"))
