"""Helpers for splitting result lists into pages (pages are numbered from 1)."""


def page_count(total, per_page):
    """Return how many pages are needed to show `total` items."""
    if per_page <= 0:
        raise ValueError("per_page must be positive")
    if total <= 0:
        return 0
    return total // per_page


def get_page(items, page, per_page):
    """Return the items shown on page number `page` (1-based) as a list.

    Page numbers outside the valid range give an empty list.
    """
    if per_page <= 0:
        raise ValueError("per_page must be positive")
    if page < 1:
        return []
    start = page * per_page
    return list(items[start:start + per_page])
