"""URL slugs."""


def slugify(text, separator="-", max_length=None):
    """Lower-case letters and digits joined by separator; other characters separate words."""
    parts = []
    current = ""
    for char in text.lower():
        if char.isalnum() and char.isascii():
            current += char
        elif current:
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    slug = separator.join(parts)
    if max_length is not None and len(slug) > max_length:
        slug = slug[:max_length].rstrip(separator)
    return slug


def unique_slug(text, taken):
    """A slug not in taken, numbered from 2 when needed."""
    base = slugify(text)
    if base not in taken:
        return base
    number = 2
    while base + "-" + str(number) in taken:
        number += 1
    return base + "-" + str(number)
