"""What the mail engine knows of the domain: only what the domain apps register here.

The mail engine (letters, print batches, newsletters, unsubscribe) is the lowest app but one:
it knows no caregiver, waardering or campaign. Each domain app registers, in its
`AppConfig.ready()`:

- its **letter types** (`register_letter_type`): template, subject, extra template context and
  "does it still apply?" — the engine renders and routes every letter through them;
- the **recipient directory** (`register_recipients`, once, by `registrations`): who people
  are for the mail engine — how a letter reaches them, who wants the newsletter, how to
  unsubscribe one, an example person for previews;
- named **audiences** (`register_audience`) for mailings that are not the newsletter, such as a
  campaign's invitation (`{"campaign": <id>}`), with the e-mail template such a mailing uses.

News travels back up by the signals in `worker/signals.py`, never by an import of a higher app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol


def _nothing(letter) -> dict:
    return {}


def _still_applies(letter) -> str:
    return ""


@dataclass(frozen=True)
class LetterType:
    """One kind of letter. `template` is a path below templates/ without extension, in the
    registering app's letters folder (`registrations/letters/einde_inschrijving`): `.html` is
    the paper letter, `.txt` the e-mail body. `subject` may hold `{placeholders}` from
    `subject_values`. `subject_young` is the same subject for a young caregiver, who is
    addressed with "je" (the recipient directory's `young`); empty: `subject` for everyone.
    `summary` (and `summary_young`) is one or two sentences of what the letter means for the
    person, a translatable Dutch text: someone who chose another language gets it in that
    language above the Dutch letter, which stays the legal version (worker/letters.py)."""

    kind: str
    label: str
    subject: str
    template: str
    subject_young: str = ""
    summary: str = ""
    summary_young: str = ""
    attach_pdf: bool = False  # decisions go by e-mail with the letter attached
    # About the person's own request: may go to the address given in that request before it
    # was confirmed (the newsletter and other mail wait for confirmation).
    about_own_request: bool = False
    # A decision (or a gift) always reaches the person: also someone who asked for "geen
    # post of e-mail" gets it, by post. Only mail like the newsletter respects that choice.
    always_delivered: bool = False
    context: Callable = field(default=_nothing)  # letter -> extra template context
    subject_values: Callable = field(default=_nothing)  # letter -> values for `subject`
    # letter -> "" while the letter applies, else the reason it is cancelled unsent.
    no_longer_applies: Callable = field(default=_still_applies)


_letter_types: dict[str, LetterType] = {}
_audiences: dict[str, tuple[Callable, str]] = {}
_recipients = []


def register_letter_type(letter_type: LetterType) -> LetterType:
    _letter_types[letter_type.kind] = letter_type
    return letter_type


def letter_type(kind: str) -> LetterType:
    return _letter_types[kind]


def letter_types() -> MappingProxyType:
    """Every registered type by kind (read-only: register through register_letter_type)."""
    return MappingProxyType(_letter_types)


def register_audience(name: str, people: Callable, email_template: str) -> None:
    """`people(filters) -> QuerySet` of recipients, for mailings with `{name: …}` filters;
    `email_template` (below templates/, without extension) is their e-mail's `.txt` and
    `.html`, in the registering app's folder (the engine names no domain template)."""
    _audiences[name] = (people, email_template)


def _audience(filters: dict):
    for name, audience in _audiences.items():
        if (filters or {}).get(name):
            return audience
    return None, None


def audience_named(filters: dict):
    """The registered audience a mailing's filters name, or None for the newsletter's own."""
    return _audience(filters)[0]


def audience_email_template(filters: dict):
    """The e-mail template of the registered audience the filters name, or None."""
    return _audience(filters)[1]


class RecipientDirectory(Protocol):
    """What the mail engine asks about the people it writes to (`MAIL_RECIPIENT_MODEL`).
    The registrations answer it with `registrations.mail.CaregiverDirectory`."""

    def gone(self, recipient) -> str: ...  # why nothing may reach them any more, or ""
    def route(self, recipient, *, about_own_request: bool,
              always_delivered: bool = False) -> tuple[str, str]: ...
    def letter_context(self, recipient) -> dict: ...  # what every letter says of them
    def print_order(self) -> list[str]: ...  # Letter ordering for print batches
    def newsletter_audience(self, filters: dict): ...  # QuerySet of recipients
    def audience_choices(self) -> dict: ...  # the newsletter form's filter choices
    def by_email(self, people): ...
    def by_post(self, people): ...
    def still_wants_mailing(self, recipient, *, service_message: bool) -> bool: ...
    def newsletter_reader(self, pk): ...  # the recipient an unsubscribe link names
    def unsubscribe(self, recipient) -> None: ...
    def example(self): ...  # an unsaved made-up recipient for previews


def register_recipients(directory: RecipientDirectory) -> None:
    """The one recipient directory; registering again replaces it."""
    _recipients[:] = [directory]


def recipients() -> RecipientDirectory:
    if not _recipients:
        raise LookupError("No recipient directory registered (registrations' AppConfig).")
    return _recipients[0]
