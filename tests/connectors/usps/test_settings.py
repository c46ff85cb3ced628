"""USPS settings: environment variables, sandbox switch, base-URL override, factory."""

from __future__ import annotations

from oauth_carrier_tests import OAuthSettingsTests


class TestUspsSettings(OAuthSettingsTests):
    """The shared tests (``oauth_carrier_tests``) with USPS's ``carrier`` (conftest.py)."""
