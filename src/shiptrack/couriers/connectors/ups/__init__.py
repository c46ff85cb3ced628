"""UPS (courier code ``ups``) through the UPS Track API, OAuth 2 client credentials.

``build(settings, session)`` is the connector factory (``None`` without credentials);
``check_credentials(settings, session)`` tries one token request.
"""

from shiptrack.couriers.connectors.ups.client import UpsConnector, build, check_credentials
from shiptrack.couriers.connectors.ups.settings import UpsSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = UpsConnector.source_info()

__all__ = ["SOURCE", "UpsConnector", "UpsSettings", "build", "check_credentials"]
