"""Languages, locale choice, and the gettext functions every module imports from here."""

from __future__ import annotations

from flask import request, session
from flask_babel import gettext as _  # noqa: F401  (re-exported)
from flask_babel import lazy_gettext as _l  # noqa: F401
from flask_babel import ngettext  # noqa: F401
from flask_login import current_user

# Each language named in itself. Danish is the default.
LANGUAGES: dict[str, str] = {"da": "Dansk", "en": "English", "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar", "ur", "fa"})
DEFAULT_LOCALE = "da"


def select_locale() -> str:
    """The user's stored choice, then this browser's choice, then the browser's header."""
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LOCALE


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"
