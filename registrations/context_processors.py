"""The form of address on the pages of a signed-in caregiver.

One person, one form: a young caregiver reads "je" everywhere, an adult "u". Letters and
e-mails get `young` from the mail engine's recipient directory (`mail.py`); the pages of
Mijn gegevens get it here, from the caregiver `caregiver_required` found in the session.
Templates choose their words with `{% if young %}` or `young|yesno:"je,u"`.
"""


def form_of_address(request) -> dict:
    """`young` where a caregiver is signed in; elsewhere nothing, so a view's own `young`
    (the registration wizard's young path) stands."""
    young = getattr(request, "caregiver_is_young", None)
    return {} if young is None else {"young": young}
