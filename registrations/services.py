"""Every write about registrations: one function per use case, each in one transaction.

Views and jobs call these; they never change a state or send anything themselves. Mail is
queued with `transaction.on_commit`, so a rolled-back registration sends nothing.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock, languages
from core.names import split_surname
from worker.models import Letter, LetterStatus

from .models import (
    LINK_STATES,
    AccessToken,
    CareEndReason,
    Caregiver,
    CareRecipient,
    ChangeKind,
    ConsentKind,
    ConsentRecord,
    EndReason,
    Guardian,
    GuardianRelation,
    PostcodeRange,
    RecordChange,
    RegistrationLetter,
    RegistrationRules,
    Source,
    StaffAccess,
    State,
    TokenPurpose,
    normalise_email,
)
from .selectors import running_duplicates
from .signals import care_ended, care_resumed, caregiver_checked, registrations_ended
from .tasks import send_link_mail

PROCESSING_CONSENT = (
    "v1",
    "Ik geef het Servicepunt Mantelzorg toestemming om mijn gegevens en die van mijn naaste "
    "te bewaren en te gebruiken om mij te helpen en te informeren. Ik kan dit altijd "
    "intrekken.",
)
TARGET_GROUP_CONSENT = (
    "v1",
    "Ik geef toestemming om vast te leggen dat ik bij deze groep hoor, zodat het Servicepunt "
    "mij beter kan helpen.",
)
GUARDIAN_CONSENT = (
    "v1",
    "Ik ben ouder of voogd en geef toestemming dat mijn kind zich inschrijft bij het "
    "Servicepunt Mantelzorg.",
)
TOKEN_LIFETIME = {
    TokenPurpose.CONFIRM_EMAIL: datetime.timedelta(days=7),
    TokenPurpose.GUARDIAN: datetime.timedelta(days=14),
}


@dataclass
class RegistrationData:
    """What a registration form (online or intake) collected, already validated."""

    caregiver: dict
    care_recipients: list[dict]
    guardian: dict | None = None
    target_group_consent: bool = False
    consent_given_by: str = "mantelzorger"
    extra: dict = field(default_factory=dict)


def _record_consent(caregiver, kind, text, given_by):
    version, wording = text
    ConsentRecord.objects.create(caregiver=caregiver, kind=kind, text_version=version,
                                 text=wording, given_by=given_by, at=clock.now())


def issue_token(caregiver: Caregiver, purpose: str,
                lifetime: datetime.timedelta) -> tuple[AccessToken, str]:
    """Create a single-use link token; returns it with the raw token (only its hash is kept)."""
    raw = secrets.token_urlsafe(32)
    address = AccessToken.address_for(caregiver, purpose)
    token = AccessToken.objects.create(caregiver=caregiver, purpose=purpose,
                                       token_hash=AccessToken.hash(raw),
                                       sent_to=AccessToken.address_hash(address),
                                       expires_at=clock.now() + lifetime)
    return token, raw


def _mail_link_after_commit(caregiver, purpose, lifetime):
    token, raw = issue_token(caregiver, purpose, lifetime)
    transaction.on_commit(lambda: send_link_mail.delay(token.pk, raw))


def _usable_token(raw: str, purpose: str, *, lock: bool) -> AccessToken | None:
    """The token's row; None when unknown, used, expired, or sent to an address that is no
    longer the one on file (a link confirms only its own address)."""
    if not raw or len(raw) > 100:
        return None
    tokens = AccessToken.objects.select_related("caregiver")
    if lock:
        tokens = tokens.select_for_update()
    token = tokens.filter(token_hash=AccessToken.hash(raw), purpose=purpose).first()
    if token is None or token.used_at or token.expires_at <= clock.now():
        return None
    if not token.still_sent_to(AccessToken.address_for(token.caregiver, purpose)):
        return None
    return token


def _take_token(raw: str, purpose: str) -> AccessToken | None:
    """The usable token's row, locked and marked used."""
    token = _usable_token(raw, purpose, lock=True)
    if token is None:
        return None
    token.used_at = clock.now()
    token.save(update_fields=["used_at"])
    return token


def activate_if_ready(caregiver: Caregiver, by=None, description="") -> None:
    if caregiver.state == State.AANGEMELD and caregiver.ready_to_activate():
        caregiver.activate(by=by, description=description or None)
        caregiver.save()


def register(data: RegistrationData, *, source: str = Source.ONLINE, by=None,
             submission_key=None) -> Caregiver:
    """Store a new registration with its care recipients and consents.

    Online: active once the e-mail address is confirmed (or a consulent checked it, for
    people without e-mail) and, under 16, a parent or guardian agreed. By a consulent: the
    intake is the check. A repeated submission (same key) returns the first registration.
    """
    if submission_key:
        existing = Caregiver.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            return _register(data, source, by, submission_key)
    except IntegrityError:
        existing = Caregiver.objects.filter(submission_key=submission_key).first()
        if submission_key and existing:
            return existing
        raise


def _register(data, source, by, submission_key):
    now = clock.now()
    values = dict(data.caregiver)
    # "de Vries" typed in one box (e.g. the waardering form) sorts under V all the same.
    values["surname_prefix"], values["last_name"] = split_surname(
        values["last_name"], values.get("surname_prefix", ""))
    if not data.target_group_consent:
        values["parent_of_disabled_child"] = values["migration_background"] = False
    # The language of the page the person registered on (Dutch in the back office), unless
    # the form asked: their e-mails come in it (core/languages.py).
    values["language"] = languages.known(values.get("language") or translation.get_language())
    caregiver = Caregiver(
        **values,
        district=PostcodeRange.objects.district_for(values["postcode"]),
        registered_on=clock.today(),
        source=source,
        submission_key=submission_key,
        target_group_consent_at=now if data.target_group_consent else None,
        checked_by_consulent_at=now if by is not None else None,
    )
    caregiver.save()
    for recipient in data.care_recipients:
        CareRecipient.objects.create(caregiver=caregiver, **recipient)
    if running_duplicates(caregiver).exists():
        # Not activated silently: a consulent first decides whether this is someone new.
        caregiver.duplicate_check = True
        caregiver.save(update_fields=["duplicate_check"])
        RecordChange.objects.create(caregiver=caregiver, kind=ChangeKind.DUPLICATE_SUSPECTED)
    given_by = "consulent" if by is not None else data.consent_given_by
    _record_consent(caregiver, ConsentKind.PROCESSING, PROCESSING_CONSENT, given_by)
    if data.target_group_consent:
        _record_consent(caregiver, ConsentKind.TARGET_GROUP, TARGET_GROUP_CONSENT, given_by)
    if caregiver.needs_guardian():
        guardian = Guardian(caregiver=caregiver, **(data.guardian or {}))
        if guardian.email and normalise_email(guardian.email) == normalise_email(caregiver.email):
            # The forms say so next to the field; this guards any other way in.
            raise ValueError("A child cannot be her own guardian: same e-mail address.")
        guardian.save()
        if guardian.email:
            _mail_link_after_commit(caregiver, TokenPurpose.GUARDIAN,
                                    TOKEN_LIFETIME[TokenPurpose.GUARDIAN])
    if caregiver.email:
        _mail_link_after_commit(caregiver, TokenPurpose.CONFIRM_EMAIL,
                                TOKEN_LIFETIME[TokenPurpose.CONFIRM_EMAIL])
    activate_if_ready(caregiver, by=by, description=_("Intake door consulent") if by else "")
    return caregiver


@transaction.atomic
@translation.override(languages.SOURCE)  # stored text: Dutch, whatever the page spoke
def confirm_email(raw_token: str) -> Caregiver | None:
    """The link in the confirmation e-mail was opened: the address is the caregiver's."""
    token = _take_token(raw_token, TokenPurpose.CONFIRM_EMAIL)
    if token is None:
        return None
    caregiver = Caregiver.objects.select_for_update().get(pk=token.caregiver_id)
    if caregiver.state == State.GEWIST:
        return None
    caregiver.email_confirmed_at = clock.now()
    caregiver.save(update_fields=["email_confirmed_at"])
    activate_if_ready(caregiver, description=_("E-mailadres bevestigd"))
    return caregiver


def guardian_link_usable(raw_token: str) -> bool:
    """Whether a consent link would work now, without using it (the page asks questions
    first, and should not make someone answer them for a dead link)."""
    return _usable_token(raw_token, TokenPurpose.GUARDIAN, lock=False) is not None


@transaction.atomic
def confirm_guardian(raw_token: str, *, name: str, relation: str) -> Caregiver | None:
    """A parent or guardian agreed through the link in their e-mail, saying who they are
    (name, relation to the child): the consulent sees it beside the consent."""
    if relation not in GuardianRelation.values or not name.strip():
        raise ValueError("Guardian consent needs a name and a parent or guardian relation.")
    token = _take_token(raw_token, TokenPurpose.GUARDIAN)
    if token is None:
        return None
    return _guardian_agreed(token.caregiver_id, given_by="ouder", staff=None,
                            name=name.strip(), relation=relation)


@transaction.atomic
def confirm_guardian_by_staff(caregiver: Caregiver, user) -> Caregiver:
    """A consulent spoke to the parent or guardian (phone or visit) and records their consent."""
    return _guardian_agreed(caregiver.pk, given_by="consulent", staff=user)


def _guardian_agreed(caregiver_id, given_by, staff, name="", relation=""):
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver_id)
    guardian = caregiver.guardian
    if guardian.confirmed_at is None:
        guardian.confirmed_at = clock.now()
        guardian.confirmed_by_staff = staff
        guardian.consent_name, guardian.consent_relation = name, relation
        guardian.save(update_fields=["confirmed_at", "confirmed_by_staff", "consent_name",
                                     "consent_relation"])
        _record_consent(caregiver, ConsentKind.GUARDIAN, GUARDIAN_CONSENT, given_by)
    activate_if_ready(caregiver, by=staff, description=_("Toestemming ouder of voogd"))
    return caregiver


@transaction.atomic
def mark_checked(caregiver: Caregiver, user) -> Caregiver:
    """A consulent checked a registration (e.g. one without e-mail address, or one made
    through a waardering request, which waits for this check: the apps above hear it)."""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    caregiver.checked_by_consulent_at = clock.now()
    caregiver.save(update_fields=["checked_by_consulent_at"])
    activate_if_ready(caregiver, by=user, description=_("Gecontroleerd door consulent"))
    caregiver_checked.send(sender=Caregiver, caregiver=caregiver)
    return caregiver


@transaction.atomic
@translation.override(languages.SOURCE)  # stored text: Dutch, whatever the page spoke
def end_care(caregiver: Caregiver, on: datetime.date, reason: str, by=None) -> Caregiver:
    """All care ended: the care for every naaste still cared for ends on `on`, and the
    caregiver becomes a former caregiver, registered two years from the last end of care.
    (One naaste at a time: services_records.end_recipient_care.)"""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    caregiver.end_care(on=on, reason=reason, by=by,
                       description=str(CareEndReason(reason).label))
    for recipient in caregiver.care_recipients.select_for_update().filter(
            care_ended_on__isnull=True):
        recipient.care_ended_on, recipient.care_end_reason = on, reason
        recipient.version += 1
        recipient.save(update_fields=["care_ended_on", "care_end_reason", "version"])
        RecordChange.objects.create(
            caregiver=caregiver, recipient=recipient, kind=ChangeKind.RECIPIENT_ENDED, by=by,
            changes=[[str(_("Naaste")), "", recipient.name],
                     [str(_("Zorg gestopt op")), "", on.strftime("%d-%m-%Y")],
                     [str(_("Reden")), "", str(CareEndReason(reason).label)]])
    last = caregiver.care_recipients.exclude(care_ended_on=None).order_by(
        "-care_ended_on").values_list("care_ended_on", flat=True).first()
    caregiver.care_ended_on = max(on, last or on)
    caregiver.save()
    care_ended.send(sender=Caregiver, caregiver=caregiver, ended_on=on, reason=reason)
    return caregiver


@transaction.atomic
def resume_care(caregiver: Caregiver, by=None) -> Caregiver:
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    caregiver.resume_care(by=by, description=_("Zorgt weer voor iemand"))
    caregiver.save()
    care_resumed.send(sender=Caregiver, caregiver=caregiver)
    # The "your registration ends in a month" letter no longer applies.
    Letter.objects.filter(caregiver=caregiver, kind=RegistrationLetter.RETENTION_NOTICE,
                          status__in=[LetterStatus.QUEUED, LetterStatus.TO_PRINT],
                          print_batch__isnull=True).update(
        status=LetterStatus.CANCELLED, error="Zorg hervat")
    return caregiver


@transaction.atomic
@translation.override(languages.SOURCE)  # stored text: Dutch, whatever the page spoke
def end_registration(caregiver: Caregiver, reason: str = EndReason.OWN_REQUEST,
                     by=None) -> Caregiver:
    """End the registration now; personal data is erased after the grace period."""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    caregiver.end_registration(reason=reason, by=by,
                               description=str(EndReason(reason).label))
    caregiver.save()
    registrations_ended.send(sender=Caregiver, caregiver_ids=[caregiver.pk],
                             reason=_("Inschrijving beëindigd"))
    return caregiver


@transaction.atomic
def update_contact_details(caregiver: Caregiver, *, email: str, phone: str, channel: str,
                           wants_newsletter: bool, language: str | None = None) -> Caregiver:
    """Change how we reach someone, and in which language. A new e-mail address must be
    confirmed again."""
    caregiver = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    email_changed = normalise_email(email) != normalise_email(caregiver.email)
    caregiver.email, caregiver.phone = email, phone
    caregiver.channel, caregiver.wants_newsletter = channel, wants_newsletter
    caregiver.language = languages.known(language or caregiver.language)
    caregiver.version += 1  # a consulent's edit form opened before this is out of date
    if email_changed:
        caregiver.email_confirmed_at = None
        revoke_links_to_old_address(caregiver)
    caregiver.save(update_fields=["email", "phone", "channel", "wants_newsletter", "language",
                                  "email_confirmed_at", "version"])
    if email_changed and email:
        _mail_link_after_commit(caregiver, TokenPurpose.CONFIRM_EMAIL,
                                TOKEN_LIFETIME[TokenPurpose.CONFIRM_EMAIL])
    return caregiver


def revoke_links_to_old_address(caregiver: Caregiver) -> int:
    """The caregiver's address changed: unused confirmation and sign-in links sent to the old
    one are deleted (they would fail anyway, being bound to the old address)."""
    deleted, _rows = AccessToken.objects.filter(
        caregiver=caregiver, used_at__isnull=True,
        purpose__in=[TokenPurpose.CONFIRM_EMAIL, TokenPurpose.MAGIC_LINK]).delete()
    return deleted


@transaction.atomic
def unsubscribe_newsletter(caregiver: Caregiver) -> None:
    """Stop the newsletter. The registration itself stays."""
    Caregiver.objects.filter(pk=caregiver.pk).update(wants_newsletter=False)


@transaction.atomic
def request_magic_link(email: str) -> int:
    """Mail a sign-in link to every registration with this confirmed-or-not address.

    Returns how many were sent, for tests only: the page says the same either way, so
    nobody learns whether an address is registered.
    """
    rules = RegistrationRules.current()
    caregivers = Caregiver.objects.filter(email__iexact=email.strip(), state__in=LINK_STATES)
    for caregiver in caregivers:
        _mail_link_after_commit(caregiver, TokenPurpose.MAGIC_LINK,
                                datetime.timedelta(minutes=rules.link_valid_minutes))
    return len(caregivers)


@transaction.atomic
def open_magic_link(raw_token: str) -> Caregiver | None:
    """Use a sign-in link once. Opening it also proves the e-mail address."""
    token = _take_token(raw_token, TokenPurpose.MAGIC_LINK)
    if token is None or token.caregiver.state not in LINK_STATES:
        return None
    caregiver = token.caregiver
    if not caregiver.email_confirmed_at:
        caregiver.email_confirmed_at = clock.now()
        caregiver.save(update_fields=["email_confirmed_at"])
        activate_if_ready(caregiver, description=_("E-mailadres bevestigd"))
    return caregiver


def log_staff_access(user, caregiver: Caregiver, action: str = "bekeken") -> None:
    StaffAccess.objects.create(user=user, caregiver=caregiver, action=action)
