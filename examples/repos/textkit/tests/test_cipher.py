from textkit.cipher import caesar, is_palindrome, rot13, shift_letter, uncaesar


def test_shift_letter_wraps_around():
    assert shift_letter("z", 1) == "a"
    assert shift_letter("A", -1) == "Z"


def test_shift_letter_keeps_other_characters():
    assert shift_letter("!", 5) == "!"


def test_caesar_default_shift():
    assert caesar("abc xyz") == "def abc"


def test_uncaesar_reverses():
    assert uncaesar(caesar("Hello, World", 7), 7) == "Hello, World"


def test_rot13_twice_is_identity():
    assert rot13(rot13("Crucible")) == "Crucible"


def test_rot13_known_value():
    assert rot13("Hello") == "Uryyb"


def test_palindrome_ignores_case_and_punctuation():
    assert is_palindrome("A man, a plan, a canal: Panama")


def test_not_a_palindrome():
    assert not is_palindrome("crucible")
