"""Forms for the staff login (password, second factor, setting up the authenticator) and for
Medewerkers, where a coordinator invites colleagues and changes their role."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from core import roles
from core.fields import TextField, clean_email_address


class StaffLoginForm(AuthenticationForm):
    """Django's login form, limited to staff members, with Dutch messages."""

    error_messages = {
        "invalid_login": _(
            "De gebruikersnaam of het wachtwoord klopt niet. Let op hoofdletters en kleine letters."
        ),
        "inactive": _("Dit account is uitgezet. Neem contact op met de coördinator."),
        "no_role": _("Dit account heeft geen toegang tot de backoffice."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["username"].max_length = 150
        self.fields["password"].label = _("Wachtwoord")

    def clean_username(self):
        # Checked before authenticate(): the lockout log stores at most 150 characters.
        username = self.cleaned_data["username"]
        if len(username) > 150 or "\x00" in username:
            raise forms.ValidationError(self.error_messages["invalid_login"],
                                        code="invalid_login")
        return username

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not roles.is_staff_member(user):
            raise forms.ValidationError(self.error_messages["no_role"], code="no_role")


class TokenForm(forms.Form):
    """The six-digit code from the authenticator app."""

    token = forms.CharField(
        label=_("Code uit je authenticator-app"),
        help_text=_("6 cijfers. De code verandert elke 30 seconden."),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*",
        }),
        error_messages={
            "required": _("Vul de code in."),
            "min_length": _("De code heeft 6 cijfers."),
            "max_length": _("De code heeft 6 cijfers."),
        },
    )

    def __init__(self, device=None, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("De code bestaat alleen uit cijfers."))
        if self.device is None:
            raise forms.ValidationError(_("Er is geen authenticator gekoppeld."))
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Te veel foute codes achter elkaar. Wacht even en probeer het dan opnieuw.")
            )
        if not self.device.verify_token(token):
            raise forms.ValidationError(_("Deze code klopt niet. Probeer de nieuwste code."))
        return token


# --- Medewerkers: what a coordinator fills in ------------------------------------------------

class InviteStaffForm(forms.Form):
    """A new colleague: name, e-mail address (also the username) and role."""

    first_name = TextField(label=_("Voornaam"), max_length=150,
                           error_messages={"required": _("Vul de voornaam in.")})
    last_name = TextField(label=_("Achternaam"), max_length=150,
                          error_messages={"required": _("Vul de achternaam in.")})
    email = TextField(label=_("E-mailadres"), max_length=150,
                      help_text=_("Hier komt de uitnodiging. Dit is ook de gebruikersnaam."),
                      error_messages={"required": _("Vul het e-mailadres in.")})
    role = forms.ChoiceField(label=_("Rol"), choices=roles.ROLE_CHOICES,
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Kies een rol."),
                                             "invalid_choice": _("Kies een rol.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.input_type = "email"
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_email(self):
        email = clean_email_address(self.cleaned_data["email"]).lower()
        if not email:
            raise forms.ValidationError(_("Vul het e-mailadres in."), code="required")
        return email


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Nieuwe rol"), choices=roles.ROLE_CHOICES,
                             error_messages={"required": _("Kies een rol."),
                                             "invalid_choice": _("Kies een rol.")})


class FirstPasswordForm(SetPasswordForm):
    """The invited colleague chooses a password (Django's rules: 12+ characters, not common,
    not only digits, not like the name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kies een wachtwoord")
        self.fields["new_password2"].label = _("Typ het wachtwoord nog een keer")
        self.error_messages = {**self.error_messages, "password_mismatch": _(
            "De twee wachtwoorden zijn niet hetzelfde. Typ ze nog een keer.")}
