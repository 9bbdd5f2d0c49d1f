from textkit.stats import average_word_length, frequencies, longest_word, most_common, word_count, words


def test_words_strip_punctuation_and_case():
    assert words("Hello, World! (yes)") == ["hello", "world", "yes"]


def test_word_count_ignores_bare_punctuation():
    assert word_count("one , two ... three") == 3


def test_frequencies():
    assert frequencies("a b a c a b") == {"a": 3, "b": 2, "c": 1}


def test_most_common_breaks_ties_alphabetically():
    assert most_common("b a c b a d", 2) == ["a", "b"]


def test_most_common_default_three():
    assert most_common("x y z x y x w") == ["x", "y", "w"]


def test_average_word_length():
    assert average_word_length("ab abcd") == 3.0


def test_average_word_length_of_nothing():
    assert average_word_length("") == 0.0


def test_longest_word_prefers_the_first():
    assert longest_word("cat dog horse mouse") == "horse"
