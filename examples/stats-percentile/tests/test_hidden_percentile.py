import pytest

from calc import stats


def test_median_odd_and_even_counts():
    assert stats.median([3, 1, 2]) == 2
    assert stats.median([4, 1, 3, 2]) == 2.5
    assert stats.median([7]) == 7
    assert stats.median([-5, 10]) == 2.5
    assert stats.median([1.5, 1.5, 9.0, 100.0, 0.5]) == 1.5


@pytest.mark.parametrize(
    "values, p, expected",
    [
        ([1, 2, 3, 4], 25, 1.75),
        ([1, 2, 3, 4], 75, 3.25),
        ([15, 20, 35, 40, 50], 40, 29.0),
        ([15, 20, 35, 40, 50], 0, 15),
        ([15, 20, 35, 40, 50], 100, 50),
        ([50, 15, 40, 20, 35], 90, 46.0),
        ([10], 37, 10),
        (list(range(101)), 99, 99),
    ],
)
def test_percentile_linear_interpolation(values, p, expected):
    assert stats.percentile(values, p) == pytest.approx(expected)


def test_accepts_any_iterable_and_does_not_mutate():
    data = [9, 3, 7, 1]
    assert stats.percentile(data, 50) == pytest.approx(5.0)
    assert stats.median(data) == pytest.approx(5.0)
    assert data == [9, 3, 7, 1]
    assert stats.percentile((x * 2 for x in [3, 1, 2]), 50) == pytest.approx(4)
    assert stats.median(iter((10, 30, 20))) == 20


def test_invalid_input_raises_value_error():
    with pytest.raises(ValueError):
        stats.median([])
    with pytest.raises(ValueError):
        stats.percentile([], 50)
    with pytest.raises(ValueError):
        stats.percentile([1, 2, 3], -1)
    with pytest.raises(ValueError):
        stats.percentile([1, 2, 3], 100.5)


def test_existing_functions_unchanged():
    assert stats.mean([1, 2, 3, 4]) == 2.5
    assert stats.variance([2, 4, 4, 4, 5, 5, 7, 9]) == 4
