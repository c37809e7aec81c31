import pytest

from timeparse.duration import format_duration, parse_duration


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("1h30m", 5400),
        ("90s", 90),
        ("45s", 45),
        ("2d 4h", 2 * 86400 + 4 * 3600),
        ("10m", 600),
        ("120m", 7200),
        ("1d2h3m4s", 86400 + 7200 + 180 + 4),
        (" 45S ", 45),
        ("3H 15M", 3 * 3600 + 15 * 60),
        ("0s", 0),
        ("100d", 8640000),
        ("5 m", 300),
    ],
)
def test_multi_digit_and_spacing(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text, seconds",
    [("1.5h", 5400), ("0.5m", 30), ("1h 0.25m", 3615), ("2.25d", 194400), ("1.5s", 1.5)],
)
def test_decimal_values(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "10 minutes", "5x", "h", "1h30", "abc", "1h-30m", "1..5h", ".5h", "1h,30m", "-5m", "1h30mfoo"],
)
def test_invalid_strings_raise_value_error(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_round_trip_with_format_duration():
    for seconds in (1, 59, 60, 61, 3599, 3600, 5400, 86399, 86400, 90061, 1234567):
        assert parse_duration(format_duration(seconds)) == seconds
    assert format_duration(5400) == "1h30m"
    assert format_duration(0) == "0s"
