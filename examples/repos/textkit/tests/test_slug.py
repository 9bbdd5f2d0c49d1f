from textkit.slug import slugify, unique_slug


def test_slugify_lowercases_and_joins():
    assert slugify("Hello, World!") == "hello-world"


def test_slugify_drops_non_ascii():
    assert slugify("café au lait") == "caf-au-lait"


def test_slugify_custom_separator():
    assert slugify("a b c", separator="_") == "a_b_c"


def test_slugify_max_length_trims_separator():
    assert slugify("hello big world", max_length=10) == "hello-big"


def test_slugify_keeps_digits():
    assert slugify("Top 10 Lists") == "top-10-lists"


def test_unique_slug_when_free():
    assert unique_slug("My Post", set()) == "my-post"


def test_unique_slug_numbers_from_two():
    assert unique_slug("My Post", {"my-post", "my-post-2"}) == "my-post-3"
