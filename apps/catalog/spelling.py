"""Typo tolerance that works the same on PostgreSQL and SQLite: the words of a shop's product and
category names (its *vocabulary*, cached per catalog version) and, for a query that matches
nothing as typed, the query with each unknown word replaced by the vocabulary word one edit
away (two for words of eight letters or more). An edit is an inserted, deleted or changed
letter, or two neighbours swapped ("jaket", "jackt", "jakcet" -> "jacket"; "tshirt" ->
"tshirt" -> "t shirt" for a "T-Shirt", see :func:`vocabulary_words`).

When even that finds nothing, :func:`suggest_phrase` offers the closest words for a
"Did you mean ...?" link (``difflib``'s ratio, looser than one edit)."""

from __future__ import annotations

import difflib
import re

_WORD = re.compile(r"\w+", re.UNICODE)
_COMPOUND = re.compile(r"\w+(?:-\w+)+", re.UNICODE)
MIN_WORD = 4  # shorter words are left as typed: one edit away from too many others
MAX_VOCABULARY = 20_000


def vocabulary_words(texts) -> dict[str, str]:
    """The distinct lower-case words of ``texts`` (names), most frequent first, at most
    ``MAX_VOCABULARY``, each mapped to what a search should look for: itself, or for a
    hyphenated word joined up ("t-shirt" gives "tshirt") its parts ("t shirt")."""
    counts: dict[str, int] = {}
    replacement: dict[str, str] = {}
    for text in texts:
        lowered = (text or "").lower()
        for word in _WORD.findall(lowered):
            if len(word) >= 3 and not word.isdecimal():
                counts[word] = counts.get(word, 0) + 1
                replacement[word] = word
        for compound in _COMPOUND.findall(lowered):
            joined = compound.replace("-", "")
            counts[joined] = counts.get(joined, 0) + 1
            replacement.setdefault(joined, compound.replace("-", " "))
    ranked = sorted(counts, key=lambda w: (-counts[w], w))[:MAX_VOCABULARY]
    return {word: replacement[word] for word in ranked}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance of ``a`` and ``b`` (insert, delete, change, swap of
    neighbours), or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    """How many edits a word of this length may be off: 0 below four letters, 1, or 2 from eight."""
    if len(word) < MIN_WORD:
        return 0
    return 2 if len(word) >= 8 else 1


def correct_word(word: str, vocabulary: dict[str, str]) -> str:
    """What to search for instead of ``word``: the vocabulary word nearest it within its allowed
    edits (the more frequent on a tie), or ``word`` itself when it is known, short or nothing
    is near. A joined compound gives its parts ("tshirt" -> "t shirt")."""
    if word in vocabulary:
        return vocabulary[word]
    limit = allowed_edits(word)
    if not limit:
        return word
    best, best_distance = word, limit + 1
    for candidate, replacement in vocabulary.items():
        distance = edit_distance(word, candidate, limit)
        if distance < best_distance:
            best, best_distance = replacement, distance
            if distance == 1:
                break
    return best


def correct_terms(terms: list[str], vocabulary: dict[str, str]) -> list[str]:
    """``terms`` with each word corrected (:func:`correct_word`), compounds split."""
    return " ".join(correct_word(term, vocabulary) for term in terms).split()


def suggest_phrase(terms: list[str], vocabulary: dict[str, str]) -> str:
    """A looser "did you mean" for a query that found nothing: each word of four letters or more
    replaced by its closest vocabulary word (``difflib`` ratio >= 0.6); "" when nothing changes."""
    suggested = []
    for term in terms:
        close = difflib.get_close_matches(term, list(vocabulary), n=1, cutoff=0.6) if len(term) >= MIN_WORD else []
        suggested.append(vocabulary[close[0]] if close else term)
    return " ".join(suggested) if suggested != terms else ""
