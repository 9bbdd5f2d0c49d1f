from datakit.intervals import gaps, merge, overlaps, total_length


def test_merge_overlapping():
    assert merge([(1, 3), (2, 6), (8, 10)]) == [(1, 6), (8, 10)]


def test_merge_touching():
    assert merge([(1, 2), (2, 4)]) == [(1, 4)]


def test_merge_sorts_first():
    assert merge([(5, 6), (1, 2)]) == [(1, 2), (5, 6)]


def test_merge_contained():
    assert merge([(1, 10), (2, 3)]) == [(1, 10)]


def test_total_length_counts_overlap_once():
    assert total_length([(0, 5), (3, 8)]) == 8


def test_overlaps():
    assert overlaps((1, 5), (5, 9))
    assert not overlaps((1, 2), (3, 4))


def test_gaps_inside_bounds():
    assert gaps([(2, 4), (6, 7)], 0, 10) == [(0, 2), (4, 6), (7, 10)]


def test_no_gaps_when_covered():
    assert gaps([(0, 10)], 2, 8) == []
