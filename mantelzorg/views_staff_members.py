"""Medewerkers: a coordinator invites colleagues, switches off a leaver's account, resets a
lost phone's second factor and changes roles. Consulenten get 403 (coordinator_required).

Actions are POST only (with CSRF); a refused action (the last coordinator, oneself) is a
plain message on the list, never an error page. The services log every action.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles
from core.staff_access import coordinator_required

from . import services_staff as services
from .forms_staff import ChangeRoleForm, FirstPasswordForm, InviteStaffForm
from .models import StaffIdentity

STAFF_ROLES = (roles.CONSULENT, roles.COORDINATOR)


def _staff_members():
    return (User.objects.filter(groups__name__in=STAFF_ROLES).distinct()
            .prefetch_related("groups").order_by("-is_active", "first_name", "username"))


def _member(pk) -> User:
    return get_object_or_404(_staff_members(), pk=pk)


@coordinator_required
@never_cache
def staff_members(request):
    members = list(_staff_members())
    with_device = set(TOTPDevice.objects.filter(confirmed=True, user__in=members)
                      .values_list("user_id", flat=True))
    # Accounts of the organisation's provider: role and second factor come from there.
    by_sso = set(StaffIdentity.objects.filter(user__in=members).values_list("user_id", flat=True))
    rows = [{"user": member, "role": services.role_of(member),
             "has_device": member.pk in with_device, "is_me": member.pk == request.user.pk,
             "sso": member.pk in by_sso}
            for member in members]
    return render(request, "mantelzorg/backoffice/staff/list.html", {
        "rows": rows, "log": services.staff_log(), "role_choices": roles.ROLE_CHOICES})


@coordinator_required
@never_cache
def staff_member_invite(request):
    form = InviteStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invite_staff(by=request.user, **form.cleaned_data)
        except services.StaffActionRefused as refused:
            form.add_error("email", str(refused))
        else:
            messages.success(request, _("Uitnodiging gestuurd naar %(email)s.")
                             % {"email": user.email})
            return redirect("mantelzorg:staff_members")
    return render(request, "mantelzorg/backoffice/staff/invite.html", {"form": form})


def _run(request, action, done: str):
    try:
        action()
    except services.StaffActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("mantelzorg:staff_members")


@coordinator_required
@require_POST
def staff_member_deactivate(request, pk):
    member = _member(pk)
    return _run(request, lambda: services.deactivate_staff(member, by=request.user),
                _("Het account van %(name)s is uitgezet.") % {"name": _name(member)})


@coordinator_required
@require_POST
def staff_member_reset_2fa(request, pk):
    member = _member(pk)
    return _run(request, lambda: services.reset_second_factor(member, by=request.user),
                _("%(name)s stelt bij de volgende keer inloggen een nieuwe authenticator-app "
                  "in.") % {"name": _name(member)})


@coordinator_required
@require_POST
def staff_member_change_role(request, pk):
    member = _member(pk)
    form = ChangeRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een rol."))
        return redirect("mantelzorg:staff_members")
    role = form.cleaned_data["role"]
    return _run(request, lambda: services.change_role(member, role, by=request.user),
                _("%(name)s is nu %(role)s.") % {"name": _name(member),
                                                 "role": dict(roles.ROLE_CHOICES)[role]})


def _name(user) -> str:
    return user.get_full_name() or user.username


# --- the invitation link (public: the colleague is not signed in yet) -----------------------

def _invited(uidb64, token) -> User | None:
    """The invited colleague, while the link is valid: active, a staff role, no password yet."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = _staff_members().filter(pk=pk, is_active=True).first()
    if user is None or user.has_usable_password() or len(token) > 100:
        return None
    return user if default_token_generator.check_token(user, token) else None


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def staff_welcome(request, uidb64, token):
    user = _invited(uidb64, token)
    if user is None:
        return render(request, "errors/link_invalid.html", status=400)
    form = FirstPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_first_password(user, form.cleaned_data["new_password1"])
        messages.success(request, _(
            "Uw wachtwoord is opgeslagen. Log nu in. Daarna koppelt u uw authenticator-app."))
        return redirect(settings.LOGIN_URL)
    return render(request, "mantelzorg/staff/welcome.html", {"form": form, "user": user})
