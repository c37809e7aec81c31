"""Basic descriptive statistics for lists of numbers."""


def _as_list(values):
    data = list(values)
    if not data:
        raise ValueError("at least one value is required")
    return data


def mean(values):
    """Arithmetic mean of `values` (any iterable of numbers)."""
    data = _as_list(values)
    return sum(data) / len(data)


def variance(values):
    """Population variance of `values`."""
    data = _as_list(values)
    m = sum(data) / len(data)
    return sum((x - m) ** 2 for x in data) / len(data)
