"""The UPS connector against the fake UPS server, over real HTTP on 127.0.0.1."""

from __future__ import annotations

from oauth_carrier_tests import OAuthFakeServerTests


class TestUpsAgainstItsFake(OAuthFakeServerTests):
    """The shared tests (``oauth_carrier_tests``) with UPS's ``carrier`` (conftest.py)."""
