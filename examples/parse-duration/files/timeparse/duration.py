"""Parse durations such as "1h30m", "2d 4h" or "45s" into seconds."""
import re

UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}

_PART = re.compile(r"(\d)([dhms])")


def parse_duration(text):
    """Return the number of seconds described by `text`.

    A duration is one or more "<number><unit>" parts, optionally separated
    by spaces, e.g. "1h30m", "2d 4h", "45s". Units are case-insensitive.
    """
    total = 0
    for value, unit in _PART.findall(text.lower()):
        total += int(value) * UNITS[unit]
    return total


def format_duration(seconds):
    """Inverse of parse_duration for whole seconds: 5400 -> "1h30m"."""
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in UNITS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append("%d%s" % (count, unit))
    return "".join(parts)
