"""Identifier case conversions."""


def split_words(identifier):
    """Splits snake_case, kebab-case, spaces and camelCase into lower-case words."""
    words = []
    current = ""
    for index, char in enumerate(identifier):
        if char in "_- ":
            if current:
                words.append(current)
            current = ""
        elif char.isupper() and current and not identifier[index - 1].isupper():
            words.append(current)
            current = char.lower()
        else:
            current += char.lower()
    if current:
        words.append(current)
    return words


def snake_case(identifier):
    return "_".join(split_words(identifier))


def kebab_case(identifier):
    return "-".join(split_words(identifier))


def camel_case(identifier):
    words = split_words(identifier)
    if not words:
        return ""
    return words[0] + "".join(word.capitalize() for word in words[1:])


def title_case(text, minor_words=("a", "an", "the", "of", "and", "in")):
    """Capitalizes words, keeping minor words lower-case except the first."""
    words = text.split()
    result = []
    for position, word in enumerate(words):
        if position > 0 and word.lower() in minor_words:
            result.append(word.lower())
        else:
            result.append(word[:1].upper() + word[1:].lower())
    return " ".join(result)
