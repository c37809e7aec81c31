"""Free/busy computations on (start, end) intervals in minutes since midnight."""


def merge_intervals(intervals):
    """Combine overlapping or touching intervals.

    Returns a new list of (start, end) tuples sorted by start.
    """
    # TODO: needed once calendars from several people are combined.
    raise NotImplementedError("merge_intervals is not implemented yet")


def free_slots(busy, day_start, day_end):
    """Return the free (start, end) gaps between busy intervals inside the day."""
    slots = []
    cursor = day_start
    for start, end in busy:
        if start > cursor:
            slots.append((cursor, start))
        cursor = end
    if cursor < day_end:
        slots.append((cursor, day_end))
    return slots
