"""Staff accounts that sign in through the organisation's provider (staff SSO).

The provider names a person by `sub` within its `iss`: that pair, not the e-mail address or
the name, ties a sign-in to one account, so a renamed colleague stays the same account and
nobody takes over a local account by putting its address in their profile.
"""

from django.conf import settings
from django.db import models


class StaffIdentity(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="sso_identity")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"],
                                               name="one_account_per_sso_subject")]

    def __str__(self):
        return f"{self.user} ({self.issuer})"
