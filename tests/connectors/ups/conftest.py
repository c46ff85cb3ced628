"""Shared fixtures of the UPS connector tests: fixture files, and UPS for the shared tests."""

from __future__ import annotations

import pytest
from connector_helpers import Load, fixture_loader
from oauth_carrier_tests import OAuthCarrier

from shiptrack.couriers.connectors import ups
from shiptrack.couriers.connectors.protocol import LinkedTrackingNumber
from shiptrack.couriers.connectors.ups.fake import create_app

UPS = OAuthCarrier(
    package=ups,
    settings_class=ups.UpsSettings,
    create_app=create_app,
    name="ups",
    courier_code="ups",
    source_code="ups-tracking",
    batch_size=1,
    production_url="https://onlinetools.ups.com",
    sandbox_url="https://wwwcie.ups.com",
    number="1Z5R89390357567127",
    scans=(
        ("Shipper created a label", "Asheville, NC 28801, US"),
        ("Pickup Scan", "Asheville, NC 28801, US"),
        ("Departed from Facility", "Louisville, KY, US"),
        ("Arrived at Facility", None),
        ("Out for Delivery", "Portland, OR 97214, US"),
        ("DELIVERED", "Portland, OR 97214, US"),
    ),
    carrier_codes=["003", "038", "005", "005", "021", "011"],
    estimates=("2025-03-07T14:30:00", "2025-03-07T10:30:00", "2025-03-07T14:30:00"),
    service="UPS Ground",
    signed_by="OKAFOR",
    linked_number=LinkedTrackingNumber("92748999985496543010003453", "us-post"),
    more_numbers="1Z5R8939035756{:04d}",
    unknown_number="1Z0000000000000000",
)


@pytest.fixture
def carrier() -> OAuthCarrier:
    return UPS


@pytest.fixture
def ups_fixture() -> Load:
    return fixture_loader("ups", ".json")
