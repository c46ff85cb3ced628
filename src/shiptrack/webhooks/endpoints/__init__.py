"""Endpoint configuration: an account's webhook URL, secret and switches — the API, its
service and schemas. It sends through the delivery room (test sends, resends)."""
