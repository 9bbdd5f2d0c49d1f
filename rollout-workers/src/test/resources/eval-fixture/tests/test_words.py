from textops.words import count_words, initials, shout


def test_count_words():
    assert count_words("a b  c") == 3


def test_count_empty():
    assert count_words("") == 0


def test_shout():
    assert shout("hi") == "HI!"


def test_initials():
    assert initials("Ada Lovelace") == "AL"
