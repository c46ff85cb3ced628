"""USPS (courier code ``us-post``) through the USPS Tracking API v3, OAuth 2 client credentials.

``build(settings, session)`` is the connector factory (``None`` without credentials);
``check_credentials(settings, session)`` tries one token request.
"""

from shiptrack.couriers.connectors.usps.client import UspsConnector, build, check_credentials
from shiptrack.couriers.connectors.usps.settings import UspsSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = UspsConnector.source_info()

__all__ = ["SOURCE", "UspsConnector", "UspsSettings", "build", "check_credentials"]
