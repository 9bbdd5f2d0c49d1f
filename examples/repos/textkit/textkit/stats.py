"""Counting words and characters."""


def words(text):
    """Lower-case words, with surrounding punctuation removed."""
    result = []
    for raw in text.split():
        word = raw.strip(".,;:!?\"'()").lower()
        if word:
            result.append(word)
    return result


def word_count(text):
    return len(words(text))


def frequencies(text):
    """How often each word occurs."""
    counts = {}
    for word in words(text):
        counts[word] = counts.get(word, 0) + 1
    return counts


def most_common(text, n=3):
    """The n most frequent words, ties broken alphabetically."""
    counts = frequencies(text)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [word for word, _ in ranked[:n]]


def average_word_length(text):
    found = words(text)
    if not found:
        return 0.0
    return sum(len(word) for word in found) / len(found)


def longest_word(text):
    """The longest word; the first one among equals."""
    best = ""
    for word in words(text):
        if len(word) > len(best):
            best = word
    return best
