"""Forms for composing a newsletter and choosing when it goes out."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import TextField

from .models import Newsletter
from .registry import recipients

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
AUDIENCE_FIELDS = ("states", "age_group", "districts", "target_groups")
AGE_CHOICES = [("", _("Alle leeftijden")), ("jong", _("Alleen jonge mantelzorgers")),
               ("volwassen", _("Alleen volwassenen"))]


class NewsletterForm(forms.ModelForm):
    subject = TextField(label=_("Onderwerp"), max_length=150,
                        error_messages={"required": _("Vul een onderwerp in.")})
    body = forms.CharField(
        label=_("Tekst"), max_length=20000, widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Gebruik **vet**, *schuin*, lijstjes met een streepje (-) en links als "
                    "[tekst](https://...). Andere opmaak wordt weggehaald."),
        error_messages={"required": _("Vul de tekst in.")})
    states = forms.MultipleChoiceField(
        label=_("Voor wie?"), choices=[], widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("Niets aangevinkt: iedereen die de nieuwsbrief wil."))
    age_group = forms.ChoiceField(label=_("Leeftijd"), choices=AGE_CHOICES, required=False)
    districts = forms.MultipleChoiceField(
        label=_("Wijken"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets aangevinkt: alle wijken."))
    target_groups = forms.MultipleChoiceField(
        label=_("Doelgroepen"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Iedereen die in minstens één aangevinkte groep hoort. Niets aangevinkt: "
                    "iedereen. EMB en migratieachtergrond: alleen wie toestemming gaf."))

    attachment = forms.FileField(
        label=_("Bijlage (PDF, niet verplicht)"), required=False,
        help_text=_("Bijvoorbeeld een folder. Alleen PDF, hoogstens 5 MB."))

    class Meta:
        model = Newsletter
        fields = ["subject", "body", "attachment"]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload or not hasattr(upload, "content_type"):
            return upload  # nothing new uploaded
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("De bijlage is te groot: hoogstens 5 MB."),
                                        code="too_big")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-" or not upload.name.lower().endswith(".pdf"):
            raise forms.ValidationError(_("De bijlage moet een PDF-bestand zijn."),
                                        code="not_pdf")
        return upload

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = recipients().audience_choices()
        self.fields["states"].choices = choices["states"]
        self.fields["districts"].choices = choices["districts"]
        self.fields["target_groups"].choices = choices.get("target_groups", [])
        audience = self.instance.audience or {}
        for name in AUDIENCE_FIELDS:
            self.fields[name].initial = audience.get(name)

    def save(self, commit=True):
        self.instance.preview_pdf = ""  # the text changed: an old postal preview is wrong
        self.instance.audience = {name: self.cleaned_data[name]
                                  for name in AUDIENCE_FIELDS
                                  if self.cleaned_data.get(name)}
        return super().save(commit)


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Versturen op"), required=False, input_formats=["%d-%m-%Y %H:%M"],
        help_text=_("Bijvoorbeeld 01-12-2026 09:00. Leeg: nu versturen."),
        error_messages={"invalid": _("Vul datum en tijd in zoals 01-12-2026 09:00.")})

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        if send_at and send_at < clock.now() - datetime.timedelta(minutes=1):
            raise forms.ValidationError(_("Dit moment is al voorbij."), code="past")
        return send_at
