"""shiptrack: self-hosted shipment tracking with a Ship24-compatible HTTP API."""

__version__ = "0.1.0"
