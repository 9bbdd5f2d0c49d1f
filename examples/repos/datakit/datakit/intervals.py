"""Closed intervals as (start, end) pairs."""


def merge(intervals):
    """Merges overlapping or touching intervals; the result is sorted."""
    result = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def total_length(intervals):
    return sum(end - start for start, end in merge(intervals))


def overlaps(first, second):
    return first[0] <= second[1] and second[0] <= first[1]


def gaps(intervals, low, high):
    """The parts of [low, high] no interval covers."""
    result = []
    cursor = low
    for start, end in merge(intervals):
        if end < low or start > high:
            continue
        if start > cursor:
            result.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < high:
        result.append((cursor, high))
    return result
