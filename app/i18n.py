"""Languages, locale choice, and the gettext functions every module imports from here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from babel import Locale
from babel.dates import get_day_names, match_skeleton
from flask import request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    ngettext,  # noqa: F401
)
from flask_babel import gettext as _  # noqa: F401  (re-exported)
from flask_babel import lazy_gettext as _l  # noqa: F401
from flask_babel.speaklater import LazyString
from flask_login import current_user

# Each language named in itself, in the order the issue asked for them. Danish is the default.
LANGUAGES: dict[str, str] = {
    "da": "Dansk", "en": "English", "ar": "العربية", "so": "Soomaali", "tr": "Türkçe",
    "ur": "اردو", "fa": "فارسی", "uk": "Українська", "pl": "Polski",
}
RTL_LANGUAGES = frozenset({"ar", "ur", "fa"})
DEFAULT_LOCALE = "da"


# How a decimal mark may be typed: a comma (Danish and most keyboards here), the Arabic decimal
# separator, or the Arabic comma; Python reads Arabic and Persian digits by itself.
DECIMAL_MARKS = (",", "\u066b", "\u060c")


def decimal_text(raw: str) -> str:
    """A number as typed on a phone in any of the languages, with a point for its mark."""
    text = raw.strip().replace(" ", "")
    for mark in DECIMAL_MARKS:
        text = text.replace(mark, ".")
    return text


def lazy_number(value: float) -> LazyString:
    """`value` written the reader's way (2,5 or 2.5), for a message made before any request."""
    return LazyString(format_decimal, value)


def select_locale() -> str:
    """The user's stored choice, then this browser's choice, then the browser's header."""
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return browser_locale() or DEFAULT_LOCALE


def browser_locale() -> str | None:
    """The first language of the browser's Accept-Language we offer; a region variant
    ("ar-EG") finds its language ("ar")."""
    return request.accept_languages.best_match(list(LANGUAGES))


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in the language itself
    dir: str


def language_name(code: str) -> str:
    """A language named in itself; a code no longer offered stays as it is."""
    return LANGUAGES.get(code, code)


def language_choices() -> list[LanguageChoice]:
    """Every language offered, in LANGUAGES' order, for the switcher."""
    return [LanguageChoice(code, name, text_direction(code)) for code, name in LANGUAGES.items()]


# How days are written, by what they show; each locale orders and punctuates them its own way
# (Danish "tirsdag 3. december", English "Tuesday, December 3").
DAY_SKELETONS = {
    "weekday": "MMMMEEEEd",
    "weekday_year": "yMMMMEEEEd",
    "day": "MMMMd",
    "day_year": "yMMMMd",
}


@cache
def day_pattern(locale: str, style: str) -> str:
    """The locale's pattern for a day in `style`, with weekday and month spelled out."""
    cldr = Locale.parse(locale)
    skeleton = DAY_SKELETONS[style]
    if skeleton not in cldr.datetime_skeletons:
        skeleton = match_skeleton(skeleton, cldr.datetime_skeletons)
    pattern = cldr.datetime_skeletons[skeleton].pattern
    # CLDR's skeleton patterns abbreviate; a calm page spells weekday and month out.
    pattern = re.sub(r"(?<!E)E{1,3}(?!E)", "EEEE", pattern)
    return re.sub(r"(?<!M)M{3}(?!M)", "MMMM", pattern)


def weekday_names() -> dict[int, str]:
    """Monday = 0 … Sunday = 6 in that order (the programme's week), spelled out in the current
    locale (from CLDR, not a catalog; CLDR itself orders some locales' weeks from Sunday)."""
    names = get_day_names("wide", locale=str(get_locale()))
    return {day: names[day] for day in range(7)}


def format_day(value: date | datetime, style: str = "weekday") -> str:
    """A calendar day for people, in the current locale (a moment is first made local)."""
    pattern = day_pattern(str(get_locale()), style)
    if isinstance(value, datetime):
        return format_datetime(value, pattern)
    return format_date(value, pattern)
