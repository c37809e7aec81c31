import pytest

from calc import stats


def test_mean():
    assert stats.mean([1, 2, 3, 4]) == 2.5
    assert stats.mean(x for x in (5, 7)) == 6


def test_variance():
    assert stats.variance([2, 4, 4, 4, 5, 5, 7, 9]) == 4


def test_empty_input_is_rejected():
    with pytest.raises(ValueError):
        stats.mean([])
    with pytest.raises(ValueError):
        stats.variance(())
