"""The base of every form: WTForms' own messages in the user's language, from our catalogs.

WTForms ships no Danish catalog, so its built-in messages (a date that is not a date, a choice
that is not offered) would reach Danish users in English. They are listed here, so extraction
puts them in our catalogs, and the forms translate through our catalogs instead.
"""

from __future__ import annotations

from flask_babel import get_translations
from flask_wtf import FlaskForm

from app.i18n import _l

BUILTIN_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid integer value."),
    _l("Not a valid float value."),
    _l("Not a valid decimal value."),
    _l("Not a valid choice."),
    _l("Field must be no longer than %(max)d characters."),
)


class _CatalogTranslations:
    """The gettext interface WTForms expects; it formats the strings itself."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form) -> _CatalogTranslations:
            return _CatalogTranslations()
