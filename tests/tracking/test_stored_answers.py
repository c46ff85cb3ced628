"""What the refresher remembers of the answers it stored (``tracking.stored_answers``)."""

from __future__ import annotations

import gc

from shiptrack.couriers.connectors.protocol import TrackingResult
from shiptrack.tracking.stored_answers import StoredAnswers


def _result(number: str = "1Z") -> TrackingResult:
    return TrackingResult(tracking_number=number, courier_code="us-post", source_code="ship24")


def test_the_same_objects_in_the_same_order_are_unchanged():
    answers = StoredAnswers()
    a, b = _result("A"), _result("B")
    answers.remember("t1", [a, b])
    assert answers.unchanged("t1", [a, b])
    assert not answers.unchanged("t1", [b, a])
    assert not answers.unchanged("t1", [a])
    assert not answers.unchanged("t1", [])
    assert answers.skipped == 1


def test_an_equal_answer_read_again_is_not_the_same():
    """Equal content read afresh (the connector parsed new bytes) is merged: only the very
    objects the connector's cache hands back again count as unchanged."""
    answers = StoredAnswers()
    answers.remember("t1", [_result()])
    assert not answers.unchanged("t1", [_result()])


def test_memory_is_per_tracker():
    answers = StoredAnswers()
    a = _result()
    answers.remember("t1", [a])
    assert not answers.unchanged("t2", [a]), "another tracker of the number never stored it"


def test_an_answer_let_go_of_is_forgotten():
    answers = StoredAnswers()
    a = _result()
    answers.remember("t1", [a])
    del a
    gc.collect()
    assert not answers.unchanged("t1", [_result()])


def test_at_most_size_trackers_the_oldest_going_first():
    answers = StoredAnswers(size=2)
    kept = [_result(str(i)) for i in range(3)]
    for i, result in enumerate(kept):
        answers.remember(f"t{i}", [result])
    assert len(answers) == 2
    assert not answers.unchanged("t0", [kept[0]])
    assert answers.unchanged("t2", [kept[2]])
