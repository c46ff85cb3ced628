"""Webhooks, in two rooms over a shared floor.

* ``endpoints/``: an account's webhook configuration (API, service, schemas);
* ``delivery/``: new events become outbox messages, the dispatcher claims, signs and sends
  them, records outcomes and retries on a schedule;
* the floor both use: ``repository`` (the webhook tables' queries and message states),
  ``safety`` (where webhooks may go) and ``signing`` (secrets and signatures).

Endpoints may use delivery, never the reverse (checked by the import contracts).
"""
