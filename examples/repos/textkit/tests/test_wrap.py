import pytest

from textkit.wrap import fill, indent, wrap


def test_wrap_breaks_between_words():
    assert wrap("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]


def test_wrap_keeps_a_line_of_exact_width():
    assert wrap("abcd efgh", 9) == ["abcd efgh"]


def test_wrap_puts_long_words_alone():
    assert wrap("a verylongword b", 5) == ["a", "verylongword", "b"]


def test_wrap_of_empty_text():
    assert wrap("", 10) == []


def test_wrap_rejects_zero_width():
    with pytest.raises(ValueError):
        wrap("x", 0)


def test_fill_joins_lines():
    assert fill("one two three", 7) == "one two\nthree"


def test_indent_skips_blank_lines():
    assert indent("a\n\nb", "> ") == "> a\n\n> b"


def test_indent_default_prefix():
    assert indent("x") == "  x"
