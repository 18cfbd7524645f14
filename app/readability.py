"""LIX, the Scandinavian readability index, for the Danish a participant reads.

LIX = words / sentences + 100 × long words / words, where a long word has more than six
letters. Below 25 is easy (children's books), 25–34 plain everyday text, 35–44 a newspaper,
45 and up official prose.

How interface text is counted:
- A word is a run of letters; digits, punctuation and symbols are not words.
- Placeholders (`%(name)s`, `%(num)d`, `{name}`) and HTML tags are removed before counting:
  they become a name, a number or a date the catalog cannot know, and markup is not read.
- A sentence ends at `.`, `!`, `?`, `:` or `;` (as in Björnsson's count). A text without such a
  mark — a single-word label, a button, a heading — is one sentence, as it stands alone on the
  screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W\d_]+")
SENTENCE_END = re.compile(r"[.!?:;]+")
LONG_WORD = 7  # letters; "more than six"


@dataclass(frozen=True)
class Counts:
    words: int = 0
    sentences: int = 0
    long_words: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.words + other.words, self.sentences + other.sentences,
                      self.long_words + other.long_words)

    @property
    def lix(self) -> float:
        if not self.words:
            return 0.0
        return self.words / self.sentences + 100 * self.long_words / self.words


def counts(text: str) -> Counts:
    """Words, sentences and long words in one text (a msgstr, a paragraph)."""
    text = TAG.sub(" ", PLACEHOLDER.sub(" ", text))
    words = sentences = long_words = 0
    for part in SENTENCE_END.split(text):
        found = WORD.findall(part)
        if found:
            sentences += 1
            words += len(found)
            long_words += sum(len(word) >= LONG_WORD for word in found)
    return Counts(words, sentences, long_words)


def lix(text: str) -> float:
    """The LIX of `text` (0 for a text without words)."""
    return counts(text).lix


def lix_of_all(texts: Iterable[str]) -> float:
    """The LIX of many texts read together, each text its own sentence or sentences."""
    total = Counts()
    for text in texts:
        total += counts(text)
    return total.lix
