"""Proof that the background machinery runs: pings from the web and the scheduler's beats."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import letter_types


class WorkerPing(models.Model):
    """A test task queued from the back office; the worker fills in when and where it ran."""

    requested_by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    worker_hostname = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("testtaak")
        verbose_name_plural = _("testtaken")


class SchedulerBeat(models.Model):
    """One row, touched by a scheduled task, so staff can see the scheduler is alive."""

    name = models.CharField(max_length=50, unique=True)
    last_run_at = models.DateTimeField()
    runs = models.PositiveIntegerField(default=0)


class LetterKind(models.TextChoices):
    """The engine's own letter kind. Domain apps define and register theirs (worker/registry.py)."""

    NEWSLETTER = "nieuwsbrief", _("Nieuwsbrief per post")


# The channels mail goes out by (Letter.channel, Delivery.channel); the recipient directory
# decides which one a person gets.
EMAIL, POST = "email", "post"


class LetterStatus(models.TextChoices):
    QUEUED = "klaar", _("Klaar om te versturen")
    TO_PRINT = "te_printen", _("Bij het drukwerk")
    SENT = "verstuurd", _("Verstuurd")
    FAILED = "mislukt", _("Mislukt")
    CANCELLED = "vervallen", _("Vervallen")


class PrintBatch(models.Model):
    """Postal letters printed together: one PDF, downloaded and marked printed by staff."""

    created_at = models.DateTimeField()
    pdf = models.FileField(upload_to="printbatches/", blank=True)
    letter_count = models.PositiveIntegerField(default=0)
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey("auth.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("drukwerk")
        verbose_name_plural = _("drukwerk")

    def __str__(self):
        return f"Drukwerk {self.pk} ({self.letter_count})"


class Letter(models.Model):
    """A letter or e-mail the Servicepunt owes a caregiver, queued until it is sent.

    `dedupe_key` makes creating the same letter twice impossible (e.g. the retention notice
    exists once per caregiver), whichever job or request tries. Columns have database
    defaults because the retention job inserts letters with plain SQL.
    """

    kind = models.CharField(max_length=24)  # a registered letter type (worker/registry.py)
    caregiver = models.ForeignKey(settings.MAIL_RECIPIENT_MODEL, on_delete=models.CASCADE,
                                  related_name="letters")
    status = models.CharField(max_length=10, choices=LetterStatus.choices,
                              default=LetterStatus.QUEUED, db_index=True)
    dedupe_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField()
    # How it went out, decided when it is sent (the caregiver may change channel meanwhile).
    channel = models.CharField(max_length=8, blank=True, default="", db_default="")
    print_batch = models.ForeignKey(PrintBatch, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="letters")
    newsletter = models.ForeignKey("Newsletter", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="letters")
    # What the letter is about (a waardering or campaign request), owned by the domain app:
    # its model declares `GenericRelation("worker.Letter", ...)` to reach its letters.
    about_type = models.ForeignKey(ContentType, null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why it was cancelled or failed (no personal data: worker/smtp.py), and when it failed:
    # the coordinators' daily digest lists the letters that failed in the last day.
    error = models.CharField(max_length=300, blank=True, default="", db_default="")
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["about_type", "about_id"])]
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")

    def get_kind_display(self) -> str:
        """The kind in words, as its app registered it (the field itself has no choices)."""
        spec = letter_types().get(self.kind)
        return str(spec.label) if spec else self.kind


class NewsletterStatus(models.TextChoices):
    DRAFT = "concept", _("Concept")
    SCHEDULED = "gepland", _("Gepland")
    SENDING = "bezig", _("Wordt verstuurd")
    SENT = "verstuurd", _("Verstuurd")


class Newsletter(models.Model):
    """A newsletter composed by a consulent, for everyone who wants it (or a filtered part)."""

    subject = models.CharField(_("onderwerp"), max_length=150)
    body = models.TextField(_("tekst"), help_text=_("Markdown: **vet**, *schuin*, lijstjes "
                                                    "met -, links als [tekst](https://…)."))
    audience = models.JSONField(_("doelgroep"), default=dict, blank=True)
    attachment = models.FileField(_("bijlage (PDF)"), upload_to="newsletters/", blank=True)
    preview_pdf = models.FileField(upload_to="newsletter-previews/", blank=True)
    status = models.CharField(max_length=10, choices=NewsletterStatus.choices,
                              default=NewsletterStatus.DRAFT)
    send_at = models.DateTimeField(_("versturen op"), null=True, blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nieuwsbrief")
        verbose_name_plural = _("nieuwsbrieven")

    def __str__(self):
        return self.subject


class DeliveryStatus(models.TextChoices):
    PENDING = "wacht", _("Wacht")
    SENDING = "bezig", _("Wordt verstuurd")
    SENT = "verstuurd", _("Verstuurd")
    FAILED = "mislukt", _("Mislukt")
    SKIPPED = "overgeslagen", _("Overgeslagen")


class Delivery(models.Model):
    """One newsletter to one caregiver by one channel: at most once, by constraint."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE,
                                   related_name="deliveries")
    caregiver = models.ForeignKey(settings.MAIL_RECIPIENT_MODEL, on_delete=models.CASCADE,
                                  related_name="deliveries")
    channel = models.CharField(max_length=8)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING, db_default="wacht")
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["newsletter", "caregiver", "channel"],
                                               name="one_delivery_per_channel")]
        indexes = [models.Index(fields=["newsletter", "status"])]


class ServicepuntContact(models.Model):
    """How people reach the Servicepunt, as a coordinator keeps it (one row, id 1). Every
    public page footer, every letter and every e-mail shows it (worker/contact.py); until a
    coordinator saves it, the environment's LETTER_SENDER_* values apply.

    `version` goes up with every save: a form sends the version it showed, so a coordinator
    who saves over a colleague's change in between is told, not silently overwritten."""

    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"))
    postal_address = models.CharField(_("postadres"), max_length=100)
    postal_postcode_city = models.CharField(_("postcode en plaats van het postadres"),
                                            max_length=100)
    visiting_address = models.CharField(_("bezoekadres"), max_length=200, blank=True)
    opening_hours = models.CharField(_("openingstijden"), max_length=200, blank=True)
    walk_in = models.CharField(_("inloopspreekuur"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey("auth.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1),
                                              name="one_servicepunt_contact_row")]
        verbose_name = _("contactgegevens van het Servicepunt")
        verbose_name_plural = _("contactgegevens van het Servicepunt")

    def __str__(self):
        return str(self._meta.verbose_name)
