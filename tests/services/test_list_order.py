"""Listed parties come back in the order they were stored, on SQLite and PostgreSQL.

The screening index is built in that order and breaks ties between equally good
candidates by it, so the same lists must give the same index on either database.
"""

from __future__ import annotations

from exodus.core.lists import load_bundled
from exodus.services.lists import active_versions, ensure_bundled_lists, version_entities
from exodus.storage.db import Database


def test_list_parties_come_back_in_stored_order(database: Database) -> None:
    ensure_bundled_lists(database, actor="tester")
    stored = {release.source: [e.id for e in release.entities] for release in load_bundled()}
    with database.session() as session:
        versions = active_versions(session)
        assert {v.source for v in versions} == set(stored)
        for version in versions:
            assert [e.id for e in version_entities(session, version.id)] == stored[version.source], version.source
