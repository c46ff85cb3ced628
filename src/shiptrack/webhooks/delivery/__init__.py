"""Delivery: new events become messages in the outbox (``hooks``, ``outbox``, ``payload``),
the dispatcher claims and sends them (``queue``, ``dispatcher``, ``http``), records outcomes
and retries on a schedule (``outcomes``, ``schedule``, ``metrics``)."""
