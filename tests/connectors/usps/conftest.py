"""Shared fixtures of the USPS connector tests: fixture files, and USPS for the shared tests."""

from __future__ import annotations

import pytest
from connector_helpers import Load, fixture_loader
from oauth_carrier_tests import OAuthCarrier

from shiptrack.couriers.connectors import usps
from shiptrack.couriers.connectors.protocol import LinkedTrackingNumber, TrackingHints
from shiptrack.couriers.connectors.usps.fake import create_app

USPS = OAuthCarrier(
    package=usps,
    settings_class=usps.UspsSettings,
    create_app=create_app,
    name="usps",
    courier_code="us-post",
    source_code="usps-tracking",
    batch_size=1,
    production_url="https://apis.usps.com",
    sandbox_url="https://apis-tem.usps.com",
    number="9400111206213300000014",
    scans=(
        ("Shipping Label Created, USPS Awaiting Item", "ASHEVILLE, NC 28801"),
        ("USPS in possession of item", "ASHEVILLE, NC 28801"),
        ("Departed USPS Regional Facility", "GREENSBORO NC DISTRIBUTION CENTER"),
        ("In Transit to Next Facility", None),
        ("Out for Delivery", "PORTLAND, OR 97214"),
        ("Delivered, Left with Individual", "PORTLAND, OR 97214"),
    ),
    carrier_codes=["GX", "03", "10", "10", "OF", "01"],
    estimates=("2025-03-07T14:30:00", "2025-03-07T10:30:00", "2025-03-07T14:30:00"),
    service="Priority Mail",
    signed_by="M OKAFOR",
    linked_number=LinkedTrackingNumber("9590940212345678901234", "us-post"),
    more_numbers="94001112062133000{:05d}",
    unknown_number="9400111206213300009999",
    unknown_hints={"9400111206213300009999": TrackingHints(destination_post_code="97214-1234")},
)


@pytest.fixture
def carrier() -> OAuthCarrier:
    return USPS


@pytest.fixture
def usps_fixture() -> Load:
    return fixture_loader("usps", ".json")
