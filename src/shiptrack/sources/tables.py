"""The upstream sources' tables, by the name the sources feature has always used for them.

They are defined in ``shiptrack.db.source_tables`` (tables sit on the ground floor with the
rest of the schema, ``db/``); this module only names them for the feature.
"""

from shiptrack.db.source_tables import source_callbacks, upstream_registrations

__all__ = ["source_callbacks", "upstream_registrations"]
