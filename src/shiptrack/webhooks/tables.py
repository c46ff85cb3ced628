"""The webhook tables, by the name the webhooks feature has always used for them.

They are defined in ``shiptrack.db.webhook_tables`` (tables sit on the ground floor with the
rest of the schema, ``db/``); this module only names them for the webhooks feature.
"""

from shiptrack.db.webhook_tables import (
    webhook_attempts,
    webhook_endpoints,
    webhook_messages,
    webhook_payloads,
)

__all__ = ["webhook_attempts", "webhook_endpoints", "webhook_messages", "webhook_payloads"]
