"""Upstream sources: aggregators on the user's own key (Ship24, 17TRACK, AfterShip,
TrackingMore), their shared registrations and their push callbacks.

- ``upstream``: the connector base every upstream package builds on;
- ``registrations``: one registration per (source, number, courier), in the database;
- ``push``: a verified callback's events stored like polled ones, in one transaction;
- ``api``: ``POST /v1/sources/{source}/callback``;
- ``runtime``: wiring into a process (books attached, the stop sweep);
- ``fakes``: the providers' fake servers, playing sandbox journeys.

This module imports nothing: ``db.tables`` loads ``sources.tables`` early.
"""
