"""News the registrations send upward; apps above connect receivers in their `ready()`.

Receivers run inside the sender's transaction, so what they write commits or rolls back
with the change that caused it.
"""

from django.dispatch import Signal

# A caregiver's care ended (becomes a former caregiver). Arguments: caregiver, ended_on, reason.
care_ended = Signal()

# The care for one naaste ended (the caregiver may still care for others; `care_ended`
# follows when it was the last). Arguments: caregiver, recipient, ended_on, reason.
recipient_care_ended = Signal()

# A former caregiver cares for someone again. Arguments: caregiver.
care_resumed = Signal()

# Registrations end (one by a person, or many by the nightly retention job).
# Arguments: caregiver_ids (a list or a queryset of ids), reason (words for the log).
registrations_ended = Signal()

# Personal data of these caregivers is being erased; each app erases what it holds about
# them. Arguments: caregiver_ids (a queryset of ids).
caregivers_erased = Signal()

# A consulent checked a registration (`services.mark_checked`). Arguments: caregiver.
caregiver_checked = Signal()

# A caregiver filled in the burden self-check. Arguments: caregiver, answers (five numbers
# 0-3), context (a burden.CheckContext value).
burden_check_answered = Signal()
