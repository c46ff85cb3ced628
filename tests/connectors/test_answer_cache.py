"""The upstream connectors' answer cache: an unchanged answer is not read again, a changed one
is, and the cache keeps at most its size, dropping the least recently read number."""

from __future__ import annotations

from shiptrack.couriers.connectors.answer_cache import AnswerCache
from shiptrack.couriers.connectors.protocol import CourierResponseInvalid, TrackingNumberNotFound


def test_reads_again_only_what_changed_and_keeps_its_size() -> None:
    cache = AnswerCache(size=2)
    reads: list[str] = []

    def read(number: str, answer: object) -> object:
        def parse() -> TrackingNumberNotFound:
            reads.append(number)
            return TrackingNumberNotFound(f"{number}: {answer}")

        return cache.read(number, "us-post", answer, parse)

    first = read("A", {"checkpoints": [1]})
    assert read("A", {"checkpoints": [1]}) is first
    assert read("A", {"checkpoints": [1, 2]}) is not first, "a new checkpoint: read again"
    assert reads == ["A", "A"]
    assert cache.hits == 1

    read("B", {"checkpoints": []})
    read("A", {"checkpoints": [1, 2]})  # A is now the most recently read
    read("C", {"checkpoints": []})  # over the size: B goes
    read("A", {"checkpoints": [1, 2]})
    read("B", {"checkpoints": []})
    assert reads == ["A", "A", "B", "C", "B"]
    assert cache.hits == 3


def test_an_unchanged_body_is_neither_decoded_nor_read_again() -> None:
    cache = AnswerCache()
    decoded: list[object] = []

    def parse(answer: object) -> TrackingNumberNotFound:
        decoded.append(answer)
        return TrackingNumberNotFound(str(answer))

    first = cache.read_body("A", "", b'{"events": [1]}', parse)
    assert cache.read_body("A", "", b'{"events": [1]}', parse) is first
    assert cache.read_body("A", "", b'{"events": [1, 2]}', parse) is not first
    assert decoded == [{"events": [1]}, {"events": [1, 2]}]
    try:
        cache.read_body("A", "", b"not json", parse)
    except CourierResponseInvalid:
        pass
    else:
        raise AssertionError("a body that is not JSON is refused")
