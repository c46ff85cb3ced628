"""Shared fixtures of the FedEx connector tests: fixture files, and FedEx for the shared tests."""

from __future__ import annotations

import pytest
from connector_helpers import Load, fixture_loader
from oauth_carrier_tests import OAuthCarrier

from shiptrack.couriers.connectors import fedex
from shiptrack.couriers.connectors.fedex.fake import create_app
from shiptrack.couriers.connectors.protocol import LinkedTrackingNumber

FEDEX = OAuthCarrier(
    package=fedex,
    settings_class=fedex.FedexSettings,
    create_app=create_app,
    name="fedex",
    courier_code="fedex",
    source_code="fedex-tracking",
    batch_size=30,
    production_url="https://apis.fedex.com",
    sandbox_url="https://apis-sandbox.fedex.com",
    number="794843185271",
    scans=(
        ("Shipment information sent to FedEx", "ASHEVILLE, NC 28801, US"),
        ("Picked up", "ASHEVILLE, NC 28801, US"),
        ("Left FedEx origin facility", "MEMPHIS, TN 38118, US"),
        ("In transit", None),
        ("Out for Delivery", "PORTLAND, OR 97214, US"),
        ("Delivered", "PORTLAND, OR 97214, US"),
    ),
    carrier_codes=["OC", "PU", "IT", "IT", "OD", "DL"],
    estimates=(
        "2025-03-07T14:30:00-08:00",
        "2025-03-07T10:30:00-08:00",
        "2025-03-07T14:30:00-08:00",
    ),
    service="FedEx Ground",
    signed_by="M.OKAFOR",
    linked_number=LinkedTrackingNumber("9261290982165640711296", "us-post"),
    more_numbers="7948431{:05d}",
    unknown_number="123456789012",
)


@pytest.fixture
def carrier() -> OAuthCarrier:
    return FEDEX


@pytest.fixture
def fedex_fixture() -> Load:
    return fixture_loader("fedex", ".json")
