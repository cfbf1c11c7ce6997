"""Forms for consulenten and coordinators reviewing waardering requests.

Every action form carries `expected_state`: the state the page showed. The service refuses
the action when the stored state differs, so nobody decides on what they did not see.
"""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.fields import TextField
from core.uploads import LineCheckedUploadForm, csv_file_field, read_text_upload
from registrations.models import District

from ..models import AgeGroup, AppreciationYear, RejectionReason, RequestState
from ..models.decisions import CHOOSABLE_REASONS
from . import vouchers
from .selectors import OPEN, OVERDUE

MAX_BULK = 500


class QueueFilterForm(forms.Form):
    """The queue's filters. Without any, the queue shows the requests of this year that
    still wait for someone; invalid values fall back to that too (with a message)."""

    year = forms.ChoiceField(label=_("Jaar"), required=False)
    state = forms.ChoiceField(label=_("Status"), required=False, choices=[
        (OPEN, _("Te behandelen")), (OVERDUE, _("Antwoord te laat")),
        ("", _("Alle statussen"))] + list(RequestState.choices))
    age_group = forms.ChoiceField(label=_("Leeftijd"), required=False,
                                  choices=[("", _("Alle leeftijden"))] + list(AgeGroup.choices))
    district = forms.ChoiceField(label=_("Wijk"), required=False)
    failed_checks = forms.BooleanField(label=_("Alleen met controles niet goed"),
                                       required=False)

    def __init__(self, data, *, default_year: AppreciationYear | None):
        self.years = {str(y.year): y for y in AppreciationYear.objects.all()}
        self.defaults = {"state": OPEN, "year": str(default_year.year) if default_year else ""}
        if not any(name in data for name in self.base_fields):
            data = self.defaults
        super().__init__(data)
        self.fields["year"].choices = [("", _("Alle jaren"))] + [
            (key, key) for key in self.years]
        self.fields["district"].choices = (
            [("", _("Alle wijken")), ("onbekend", _("Onbekend"))]
            + [(str(d.pk), d.name) for d in District.objects.only("pk", "name")])

    def filters(self) -> dict:
        """Keyword arguments for `selectors.review_queue`; the year as its rules object."""
        values = dict(self.cleaned_data) if self.is_valid() else dict(self.defaults)
        values["year"] = self.years.get(values.get("year") or "")
        return values

    def query_string(self) -> str:
        """The filters in effect, for the page links."""
        values = self.cleaned_data if self.is_valid() else self.defaults
        query = QueryDict(mutable=True)
        for name in self.base_fields:
            value = values.get(name)
            if name in ("state", "year") or value:
                query[name] = "on" if value is True else str(value or "")
        return query.urlencode()


class ActionForm(forms.Form):
    """A decision button: only the state the page showed."""

    expected_state = forms.ChoiceField(choices=RequestState.choices, widget=forms.HiddenInput)


class ApproveForm(ActionForm):
    over_budget_ok = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RejectForm(ActionForm):
    """The reasons are the sentences the person reads; "een andere reden" needs the
    explanation, because that is all the letter can say."""

    prefix = "afwijzen"
    reason = forms.ChoiceField(
        label=_("Reden (deze zin staat in de brief)"),
        choices=[("", _("Kies een reden"))] + [(r.value, r.label) for r in CHOOSABLE_REASONS],
        error_messages={"required": _("Kies een reden voor de afwijzing."),
                        "invalid_choice": _("Kies een reden uit de lijst.")})
    text = TextField(
        label=_("Uitleg voor de mantelzorger"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Deze tekst komt in de brief. Schrijf kort en duidelijk, met u. Bij "
                    "'een andere reden' is de uitleg verplicht."),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens "
                                        "(u gebruikte er %(show_value)d).")})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == RejectionReason.OTHER and not cleaned.get("text") \
                and "text" not in self.errors:
            self.add_error("text", _("Schrijf de reden op. De mantelzorger leest deze uitleg "
                                     "in de brief."))
        return cleaned


class AskInformationForm(ActionForm):
    prefix = "vraag"
    question = TextField(
        label=_("Vraag aan de mantelzorger"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Deze vraag komt in de brief. Vraag één ding tegelijk."),
        error_messages={"required": _("Schrijf de vraag op."),
                        "max_length": _("Gebruik hoogstens %(limit_value)d tekens "
                                        "(u gebruikte er %(show_value)d).")})


class SetAsideForm(ActionForm):
    """Art. 4:5 Awb: after the deadline of an unanswered question."""

    prefix = "buiten-behandeling"
    confirm = forms.BooleanField(
        label=_("Ik heb gekeken: er is ook geen antwoord per post, e-mail of telefoon."),
        error_messages={"required": _("Zet een vinkje als er echt geen antwoord is.")})


class ConfirmByPhoneForm(ActionForm):
    """A request made on someone's behalf: the caregiver agreed on the phone."""

    prefix = "bevestigen"
    confirm = forms.BooleanField(
        label=_("Ik heb de mantelzorger gesproken. Die gaat akkoord met deze aanvraag."),
        error_messages={"required": _("Zet een vinkje als de mantelzorger akkoord is.")})


class WithdrawForm(ActionForm):
    prefix = "intrekken"
    confirm = forms.BooleanField(
        label=_("De mantelzorger heeft gevraagd de aanvraag in te trekken."),
        error_messages={"required": _("Zet een vinkje om de aanvraag in te trekken.")})


class BulkApproveForm(forms.Form):
    """Request ids ticked on the queue; the service takes only those passing every check."""

    ids = forms.TypedMultipleChoiceField(coerce=int, required=True, error_messages={
        "required": _("Kies eerst een of meer aanvragen."),
        "invalid_choice": _("Kies aanvragen uit de lijst."),
        "invalid_list": _("Kies aanvragen uit de lijst.")})
    over_budget_ok = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any whole number may be posted; which ones can be approved the service decides.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit() and len(
            str(value)) < 12

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if len(ids) > MAX_BULK:
            raise forms.ValidationError(
                _("Kies hoogstens %(n)s aanvragen tegelijk.") % {"n": MAX_BULK})
        return ids


class UploadVoucherCodesForm(LineCheckedUploadForm):
    """The supplier's voucher codes for a year (coordinators). Wrong lines are listed by
    number and then nothing is added; `cleaned_data["codes"]` holds the codes."""

    prefix = "boncodes"
    file = csv_file_field(
        _("Bestand met boncodes (CSV)"),
        _("Van de leverancier van de bonnen. Eén code per regel, in de eerste kolom. Een "
          "kopregel 'code' mag. Hoogstens 1 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        text = read_text_upload(upload)
        try:
            codes = vouchers.parse_codes(text)
        except vouchers.CodesRefused as refused:
            raise self.refuse_lines(refused.errors, _(
                "%(n)s regels kloppen niet. Er is niets toegevoegd. Verbeter de regels "
                "hieronder en laad het hele bestand opnieuw.") % {"n": len(refused.errors)}
            ) from None
        if not codes:
            raise forms.ValidationError(_("Er staan geen codes in het bestand."),
                                        code="no_codes")
        self.cleaned_data["codes"] = codes
        return upload
