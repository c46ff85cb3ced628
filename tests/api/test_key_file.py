"""The key file of the first ``serve`` is never overwritten by a ``serve`` on another
database in the same folder (SQLite, then PostgreSQL)."""

from __future__ import annotations

import httpx
import pytest

pytestmark = [pytest.mark.slow]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_second_database_in_the_same_folder_keeps_the_first_ones_key_file(
    database_url, tmp_path, server_factory
):
    first = server_factory(f"sqlite:///{tmp_path / 'first.db'}")
    key_file = tmp_path / "shiptrack-api-key.txt"
    first_key = key_file.read_text().strip()

    second = server_factory(database_url)
    # The second database got its own default account and key, printed once ...
    assert "Created the default account" in second.output()
    assert "holds another database's key and was left as it is" in " ".join(
        second.output().split()
    )
    second_key = next(
        line for line in second.output().splitlines() if line.startswith("apik_")
    )
    assert second_key != first_key
    # ... and the file still opens the first server, as the README's KEY=$(cat …) expects.
    assert key_file.read_text().strip() == first_key
    for server, key in ((first, first_key), (second, second_key)):
        response = httpx.get(
            f"{server.url}/public/v1/trackers", headers={"Authorization": f"Bearer {key}"}
        )
        assert response.status_code == 200, response.text
