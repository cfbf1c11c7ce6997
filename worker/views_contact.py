"""Beheer of the Servicepunt's contact details: a coordinator's page (worker/contact.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.staff_access import coordinator_required

from . import contact
from .forms_contact import ContactForm

CHANGED_MESSAGE = (
    "Een collega heeft de contactgegevens net veranderd. Uw wijziging is niet opgeslagen. "
    "Hieronder staat wat nu is opgeslagen. Wat u typte staat nog in het formulier: kijk het "
    "na en klik opnieuw op 'Opslaan'.")


@coordinator_required
def contact_settings(request):
    row = contact.stored()
    initial = {name: getattr(row, name) for name in contact.FIELDS}
    form = ContactForm(request.POST or None, initial={**initial, "version": row.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact.save_contact(user=request.user, **data)
        except contact.ContactChanged:
            # Typed values stay; the version moves on to what they have now seen.
            form = ContactForm({**request.POST.dict(), "version": contact.stored().version})
            form.is_valid()
            form.add_error(None, _(CHANGED_MESSAGE))
            return render(request, "worker/backoffice/contact.html",
                          {"form": form, "saved": contact.stored(), "changed": True},
                          status=409)
        messages.success(request, _("De contactgegevens zijn opgeslagen. Ze staan nu op de "
                                    "website en in nieuwe brieven en e-mails."))
        return redirect("worker:contact_settings")
    return render(request, "worker/backoffice/contact.html", {"form": form, "saved": row})
