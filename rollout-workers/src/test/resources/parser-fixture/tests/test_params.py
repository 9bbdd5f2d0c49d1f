"""pytest-only outcomes: parametrized ids and an error in a fixture."""
import pytest


@pytest.fixture
def broken():
    raise RuntimeError("fixture exploded")


@pytest.mark.parametrize("value", [1, 2, 3])
def test_small(value):
    assert value < 3


def test_fixture_error(broken):
    assert broken


@pytest.mark.xfail(reason="known bug")
def test_known_bug():
    assert False
