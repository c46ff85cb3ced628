"""FedEx (courier code ``fedex``) through the FedEx Track API, OAuth 2 client credentials.

``build(settings, session)`` is the connector factory (``None`` without credentials);
``check_credentials(settings, session)`` tries one token request.
"""

from shiptrack.couriers.connectors.fedex.client import FedexConnector, build, check_credentials
from shiptrack.couriers.connectors.fedex.settings import FedexSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = FedexConnector.source_info()

__all__ = ["SOURCE", "FedexConnector", "FedexSettings", "build", "check_credentials"]
