"""Toy ciphers."""


def shift_letter(char, shift):
    if "a" <= char <= "z":
        return chr((ord(char) - ord("a") + shift) % 26 + ord("a"))
    if "A" <= char <= "Z":
        return chr((ord(char) - ord("A") + shift) % 26 + ord("A"))
    return char


def caesar(text, shift=3):
    return "".join(shift_letter(char, shift) for char in text)


def uncaesar(text, shift=3):
    return caesar(text, -shift)


def rot13(text):
    return caesar(text, 13)


def is_palindrome(text):
    """Whether the letters and digits read the same both ways, ignoring case."""
    cleaned = [char.lower() for char in text if char.isalnum()]
    return cleaned == cleaned[::-1]
