"""Settings of the Royal Mail Tracking API v2 connector (env prefix ``SHIPTRACK_ROYALMAIL_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Without ``SHIPTRACK_ROYALMAIL_CLIENT_ID`` and ``SHIPTRACK_ROYALMAIL_CLIENT_SECRET``
the connector is not built at all. Royal Mail's Swagger names one host for production and
development, so there is no sandbox switch.
"""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import carrier_config
from shiptrack.couriers.connectors.keypair import KeyPairCarrierSettings

PRODUCTION_BASE_URL = "https://api.royalmail.net"


class RoyalMailSettings(KeyPairCarrierSettings):
    """``client_id``/``client_secret``: the IBM API Connect client id and secret of an app
    approved for 'Tracking for Server-side app v2' on developer.royalmail.net, sent as
    ``X-IBM-Client-Id`` and ``X-IBM-Client-Secret``."""

    model_config = carrier_config("SHIPTRACK_ROYALMAIL_")
    production_url = PRODUCTION_BASE_URL

    rate_limit: float = Field(
        2.0,
        description="Calls per second the scheduler may make (Royal Mail publishes no plan "
        "numbers; a 429 says when the plan's limit is hit).",
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )
