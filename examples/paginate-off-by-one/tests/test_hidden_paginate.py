import pytest

from pager.paginate import get_page, page_count


@pytest.mark.parametrize(
    "total, per_page, expected",
    [(10, 3, 4), (9, 3, 3), (1, 10, 1), (0, 5, 0), (11, 1, 11), (100, 25, 4), (101, 25, 5)],
)
def test_page_count_includes_partial_last_page(total, per_page, expected):
    assert page_count(total, per_page) == expected


def test_first_and_middle_pages():
    items = list(range(10))
    assert get_page(items, 1, 3) == [0, 1, 2]
    assert get_page(items, 2, 3) == [3, 4, 5]
    assert get_page(items, 3, 3) == [6, 7, 8]


def test_last_partial_page_and_out_of_range():
    items = list(range(10))
    assert get_page(items, 4, 3) == [9]
    assert get_page(items, 5, 3) == []
    assert get_page(items, 0, 3) == []
    assert get_page(items, -1, 3) == []
    assert get_page([], 1, 3) == []


def test_every_item_appears_exactly_once():
    items = ["item%d" % i for i in range(23)]
    for per_page in (1, 4, 5, 7, 23, 30):
        pages = [get_page(items, p, per_page) for p in range(1, page_count(len(items), per_page) + 1)]
        assert all(pages)
        assert [x for page in pages for x in page] == items


def test_other_sequences_and_invalid_per_page():
    assert get_page(("a", "b", "c"), 2, 2) == ["c"]
    assert get_page(range(5), 1, 2) == [0, 1]
    with pytest.raises(ValueError):
        get_page([1, 2], 1, 0)
    with pytest.raises(ValueError):
        page_count(5, -1)
