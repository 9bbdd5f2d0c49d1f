from datakit.search import binary_search, count_in_range, insertion_point


def test_binary_search_finds_each_item():
    items = [1, 3, 5, 7, 9]
    assert [binary_search(items, item) for item in items] == [0, 1, 2, 3, 4]


def test_binary_search_missing_item():
    assert binary_search([1, 3, 5], 4) == -1


def test_binary_search_empty():
    assert binary_search([], 1) == -1


def test_insertion_point_after_equal_items():
    assert insertion_point([1, 2, 2, 3], 2) == 3


def test_insertion_point_at_ends():
    assert insertion_point([5, 6], 1) == 0
    assert insertion_point([5, 6], 9) == 2


def test_count_in_range_inclusive():
    assert count_in_range([1, 2, 3, 4, 5, 6], 2, 4) == 3


def test_count_in_empty_range():
    assert count_in_range([1, 2, 3], 3, 1) == 0
