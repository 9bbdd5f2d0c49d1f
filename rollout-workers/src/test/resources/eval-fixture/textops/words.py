def count_words(text):
    return len(text.split())


def shout(text):
    return text.upper() + "!"


def initials(name):
    return "".join(part[0] for part in name.split())
