"""News the mail engine sends upward; the domain apps connect receivers in `ready()`."""

from django.dispatch import Signal

# Letters went out (by e-mail, or their print batch was marked printed).
# Arguments: letters (a list of Letter rows).
letters_sent = Signal()

# Someone used the newsletter's unsubscribe link. Arguments: recipient.
newsletter_unsubscribed = Signal()
