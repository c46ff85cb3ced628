"""The webhook settings, by the name the webhooks feature has always used for them.

They are the ``webhook`` section of shiptrack's one ``Settings`` (``shiptrack.config``,
defined in ``config/webhooks.py``, on the ground floor with the other settings).
"""

from shiptrack.config import webhook_settings
from shiptrack.config.webhooks import (
    DEFAULT_RETRY_SCHEDULE,
    LEASE_MARGIN_SECONDS,
    WebhookSettings,
)

__all__ = ["DEFAULT_RETRY_SCHEDULE", "LEASE_MARGIN_SECONDS", "WebhookSettings", "webhook_settings"]
