"""Searching sorted sequences."""


def binary_search(items, target):
    """The index of target in the sorted list items, or -1."""
    low, high = 0, len(items) - 1
    while low <= high:
        middle = (low + high) // 2
        if items[middle] == target:
            return middle
        if items[middle] < target:
            low = middle + 1
        else:
            high = middle - 1
    return -1


def insertion_point(items, target):
    """Where target would go in the sorted list items, after any equal items."""
    low, high = 0, len(items)
    while low < high:
        middle = (low + high) // 2
        if items[middle] <= target:
            low = middle + 1
        else:
            high = middle
    return low


def count_in_range(items, low, high):
    """How many integers of the sorted list lie in [low, high]."""
    if low > high:
        return 0
    return insertion_point(items, high) - insertion_point(items, low - 1)
