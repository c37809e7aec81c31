import pytest

from agenda.calendar import free_slots, merge_intervals


def test_merge_unsorted_overlapping_and_nested():
    assert merge_intervals([(5, 8), (1, 3), (2, 4)]) == [(1, 4), (5, 8)]
    assert merge_intervals([(1, 10), (2, 3), (4, 5)]) == [(1, 10)]
    assert merge_intervals([(7, 9), (1, 2), (3, 4)]) == [(1, 2), (3, 4), (7, 9)]
    assert merge_intervals([]) == []


def test_merge_touching_zero_length_and_lists():
    assert merge_intervals([(3, 5), (1, 3)]) == [(1, 5)]
    assert merge_intervals([[1, 2], [2, 2], [4, 4], [6, 9]]) == [(1, 2), (6, 9)]
    assert merge_intervals([(4, 4)]) == []
    result = merge_intervals([[0, 1]])
    assert result == [(0, 1)] and isinstance(result[0], tuple)


def test_merge_does_not_mutate_and_rejects_reversed():
    data = [(5, 6), (1, 2), (1, 5)]
    assert merge_intervals(data) == [(1, 6)]
    assert data == [(5, 6), (1, 2), (1, 5)]
    with pytest.raises(ValueError):
        merge_intervals([(1, 2), (5, 3)])


def test_merge_many_random_intervals_matches_brute_force():
    import random

    rng = random.Random(1234)
    for _ in range(200):
        intervals = []
        for _ in range(rng.randint(0, 8)):
            a = rng.randint(0, 40)
            intervals.append((a, a + rng.randint(0, 10)))
        covered = {t for s, e in intervals for t in range(s, e)}
        merged = merge_intervals(intervals)
        assert {t for s, e in merged for t in range(s, e)} == covered
        for (s1, e1), (s2, e2) in zip(merged, merged[1:]):
            assert s1 < e1 < s2 < e2


def test_free_slots_with_messy_busy_list():
    assert free_slots([(600, 660), (540, 720)], 480, 1020) == [(480, 540), (720, 1020)]
    assert free_slots([(720, 780), (540, 600)], 480, 1020) == [(480, 540), (600, 720), (780, 1020)]
    assert free_slots([(540, 600), (600, 630)], 540, 700) == [(630, 700)]
    assert free_slots([], 480, 1020) == [(480, 1020)]


def test_free_slots_clips_to_working_day():
    assert free_slots([(400, 500), (1000, 1200)], 480, 1020) == [(500, 1000)]
    assert free_slots([(0, 1440)], 480, 1020) == []
    assert free_slots([(100, 200), (1100, 1200)], 480, 1020) == [(480, 1020)]
    assert free_slots([(480, 1020)], 480, 1020) == []
    assert free_slots([(500, 500)], 480, 1020) == [(480, 1020)]
