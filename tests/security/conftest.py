"""Fixtures of the security tests (hostile input, log privacy)."""

import pytest


@pytest.fixture
def no_rate_limits(settings):
    """1,000 posts from one address would meet the public forms' rate limits (tested in
    their own tests); here every post must reach the form."""
    settings.RATELIMIT_ENABLED = False
