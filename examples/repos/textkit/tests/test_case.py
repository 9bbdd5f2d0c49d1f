from textkit.case import camel_case, kebab_case, snake_case, split_words, title_case


def test_split_words_of_camel_case():
    assert split_words("parseHttpResponse") == ["parse", "http", "response"]


def test_split_words_of_mixed_separators():
    assert split_words("a_b-c d") == ["a", "b", "c", "d"]


def test_split_words_keeps_acronyms_together():
    assert split_words("HTTPServer") == ["httpserver"]


def test_snake_case():
    assert snake_case("Hello World") == "hello_world"


def test_kebab_case():
    assert kebab_case("someValueHere") == "some-value-here"


def test_camel_case():
    assert camel_case("user_id_value") == "userIdValue"


def test_camel_case_of_nothing():
    assert camel_case("__") == ""


def test_title_case_keeps_minor_words_small():
    assert title_case("the lord OF the rings") == "The Lord of the Rings"


def test_title_case_capitalizes_first_minor_word():
    assert title_case("a tale") == "A Tale"
