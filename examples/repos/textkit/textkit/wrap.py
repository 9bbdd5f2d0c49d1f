"""Line wrapping."""


def wrap(text, width=20):
    """Splits text into lines of at most width characters, breaking between words.

    A word longer than width gets a line of its own.
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    lines = []
    current = ""
    for word in text.split():
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = current + " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def fill(text, width=20):
    """The wrapped lines joined with newlines."""
    return "\n".join(wrap(text, width))


def indent(text, prefix="  "):
    """Prefixes every non-empty line."""
    return "\n".join(prefix + line if line.strip() else line for line in text.split("\n"))
