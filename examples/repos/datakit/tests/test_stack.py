import pytest

from datakit.stack import Stack, balanced


def test_push_pop_is_last_in_first_out():
    stack = Stack()
    stack.push(1)
    stack.push(2)
    assert stack.pop() == 2
    assert stack.pop() == 1


def test_pop_of_empty_stack_raises():
    with pytest.raises(IndexError):
        Stack().pop()


def test_peek_does_not_remove():
    stack = Stack()
    stack.push("a")
    assert stack.peek() == "a"
    assert len(stack) == 1


def test_peek_of_empty_stack_is_none():
    assert Stack().peek() is None


def test_is_empty():
    stack = Stack()
    assert stack.is_empty()
    stack.push(0)
    assert not stack.is_empty()


def test_balanced_brackets():
    assert balanced("a(b[c]{d})e")


def test_unbalanced_order():
    assert not balanced("(]")


def test_unclosed_bracket():
    assert not balanced("((")


def test_stray_closing_bracket():
    assert not balanced("())")
