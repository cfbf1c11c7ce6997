"""An import of an existing registry: the uploaded file, its mapping, the dry run per line.

The registry itself (Caregiver, CareRecipient) is written only by `run_import`, in one
transaction; these rows say what was uploaded, what the dry run found and how far the write is.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    UPLOADED = "geupload", _("Kolommen kiezen")
    CHECKING = "controle_bezig", _("Proefimport bezig")
    CHECKED = "gecontroleerd", _("Proefimport klaar")
    QUEUED = "ingepland", _("Import ingepland")
    RUNNING = "bezig", _("Import bezig")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


class RowOutcome(models.TextChoices):
    NEW = "nieuw", _("Nieuw")
    UPDATED = "bijgewerkt", _("Bijgewerkt")
    UNCHANGED = "ongewijzigd", _("Ongewijzigd")
    POSSIBLE_DUPLICATE = "mogelijk_dubbel", _("Mogelijk dubbel")
    REFUSED = "geweigerd", _("Geweigerd")


class ImportMapping(models.Model):
    """A saved mapping (file header → field key), to reuse for the next file of the same kind."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    columns = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("bewaarde kolomindeling")
        verbose_name_plural = _("bewaarde kolomindelingen")

    def __str__(self):
        return self.name


class RegistryImport(models.Model):
    """One uploaded file, from upload through the dry run to the write.

    Its states, all moved by `services.py` (user steps) and `jobs.py` (the two tasks):
    geupload → controle_bezig (set_mapping) → gecontroleerd (dry run done) or mislukt (file
    refused); gecontroleerd → controle_bezig (other columns) or ingepland (confirm);
    ingepland → bezig (the write starts; a redelivered task may start again from bezig)
    → klaar or mislukt.
    """

    state = models.CharField(_("status"), max_length=16, choices=ImportState.choices,
                             default=ImportState.UPLOADED)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    file = models.FileField(upload_to="imports/", blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    rows_total = models.IntegerField(default=0)
    rows_done = models.IntegerField(default=0)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"Import {self.pk} ({self.original_name})"


class ImportRow(models.Model):
    """The dry run's verdict on one line of the file, with the cleaned values to write."""

    registry_import = models.ForeignKey(RegistryImport, related_name="rows",
                                        on_delete=models.CASCADE)
    line = models.IntegerField()
    outcome = models.CharField(max_length=16, choices=RowOutcome.choices)
    name = models.CharField(max_length=300, blank=True)
    reasons = models.JSONField(default=list)
    data = models.JSONField(default=dict)
    caregiver = models.ForeignKey("registrations.Caregiver", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["line", "pk"]
        indexes = [models.Index(fields=["registry_import", "outcome", "line"])]

    def __str__(self):
        return f"Regel {self.line}: {self.get_outcome_display()}"
