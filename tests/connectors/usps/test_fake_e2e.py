"""The USPS connector against the fake USPS server, over real HTTP on 127.0.0.1."""

from __future__ import annotations

from oauth_carrier_tests import OAuthFakeServerTests


class TestUspsAgainstItsFake(OAuthFakeServerTests):
    """The shared tests (``oauth_carrier_tests``) with USPS's ``carrier`` (conftest.py)."""
