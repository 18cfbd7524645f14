"""LIX: the function on known texts, and the Danish a participant reads kept plain."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.readability import Counts, counts, lix, lix_of_all

ROOT = Path(__file__).resolve().parent.parent

# Where a participant reads text: their pages, the shared layout, sign-in, errors, and the Python
# modules whose strings reach their screen or phone (forms, flashes, notifications). A string
# counts as participant-side when any of its source locations is in this list.
PARTICIPANT_SOURCES = frozenset({
    "templates/_macros.html", "templates/base.html", "templates/errors/error.html",
    "templates/core/_language_switcher.html", "templates/core/_participant_nav.html",
    "templates/core/welcome.html",
    "templates/auth/login.html", "templates/auth/activate.html",
    "templates/account/index.html", "templates/account/_handover.html",
    "templates/plan/home.html", "templates/plan/edit.html", "templates/plan/_subgoals.html",
    "templates/plan/_scale.html", "templates/plan/_scale_form.html",
    "templates/plan/_scale_answers.html",
    "templates/attendance/week.html", "templates/attendance/_today.html",
    "templates/attendance/_week.html", "templates/attendance/_macros.html",
    "templates/walks/index.html", "templates/walks/_walks.html",
    "templates/walks/_walk_items.html", "templates/walks/_macros.html",
    "templates/messages/thread.html", "templates/messages/_messages.html",
    "templates/messages/_compose.html", "templates/messages/_unread_badge.html",
    "templates/aftercare/check_in.html", "templates/aftercare/thanks.html",
    "templates/aftercare/week.html", "templates/aftercare/_prompts.html",
    "templates/aftercare/_macros.html",
    "templates/push/_card.html",
    "templates/pwa/_install_hint.html", "templates/pwa/_outbox.html", "templates/pwa/offline.html",
    "app/__init__.py", "app/forms.py", "app/auth/forms.py", "app/auth/views.py",
    "app/plan/forms.py", "app/plan/views.py", "app/attendance/forms.py",
    "app/attendance/views.py", "app/walks/forms.py", "app/walks/views.py",
    "app/messages/forms.py", "app/messages/service.py", "app/messages/views.py",
    "app/aftercare/forms.py", "app/push/service.py", "app/push/views.py", "app/pwa/service.py",
})
AGGREGATE_LIMIT = 35  # plain everyday text
SENTENCE_LIMIT = 55  # no one long string may read like official prose
LONG_STRING_WORDS = 8  # shorter strings (labels, buttons) swing too much to judge alone


@pytest.mark.parametrize(("text", "expected"), [
    # 5 words, 1 sentence, 1 long word ("sygemeldt"): 5 + 20.
    ("Jeg er sygemeldt i dag.", 5 + 100 * 1 / 5),
    # 6 words, 2 sentences, no long words.
    ("Tak. Vi ses i morgen igen!", 6 / 2),
    # A label without an end mark is one sentence; 8 letters is long.
    ("Fremmøde", 1 + 100),
    # Exactly six letters is not long.
    ("Gåture", 1),
    # Placeholders and markup are not words.
    ("Din konsulent er <strong>%(name)s</strong>.", 3 + 100 * 1 / 3),
    ("{count} timer", 1),
    ("", 0),
    ("12:30", 0),
])
def test_lix_of_known_texts(text, expected):
    assert lix(text) == pytest.approx(expected)


def test_a_textbook_example():
    # 13 words, 2 sentences, 2 long words ("hurtigt", "Bagefter"): 6.5 + 15.4 = 21.9.
    text = "Hunden løb hurtigt over marken. Bagefter sov den længe i den varme stue."
    assert counts(text) == Counts(words=13, sentences=2, long_words=2)
    assert lix(text) == pytest.approx(13 / 2 + 100 * 2 / 13)


def test_many_texts_are_read_together():
    assert lix_of_all(["Ja.", "Nej tak."]) == pytest.approx(3 / 2)
    assert lix_of_all([]) == 0


def _participant_danish() -> list[tuple[str, str]]:
    with (ROOT / "translations" / "da" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id or not {path for path, _ in message.locations} & PARTICIPANT_SOURCES:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else message.string
        found += [(msgid, text) for text in strings if text]
    return found


def test_participant_sources_exist():
    assert [path for path in PARTICIPANT_SOURCES if not (ROOT / path).exists()] == []


def test_the_danish_a_participant_reads_is_plain():
    """All participant-side Danish strings read together stay under LIX 35 (per string would
    judge a one-word button by itself); and no long string reads like official prose."""
    strings = _participant_danish()
    assert len(strings) > 300
    assert lix_of_all(text for _, text in strings) < AGGREGATE_LIMIT
    heavy = [(round(lix(text)), text) for _, text in strings
             if counts(text).words >= LONG_STRING_WORDS and lix(text) > SENTENCE_LIMIT]
    assert heavy == []
