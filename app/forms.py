"""The base of every form: WTForms' own messages in the user's language, from our catalogs.

WTForms ships no Danish catalog, so its built-in messages (a date that is not a date, a choice
that is not offered) would reach Danish users in English. They are listed here, so extraction
puts them in our catalogs, and the forms translate through our catalogs instead.

WTForms' own English is jargon ("Not a valid float value."), so the English catalog gives
these plain words too; every other English text is its msgid.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from app.i18n import _l
from app.timeutil import local_today

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


# Far outside this a day filters or reports nothing, and at the calendar's ends the day
# arithmetic behind a period (local midnights, whole weeks) would overflow.
REACH_BACK, REACH_AHEAD = timedelta(days=3653), timedelta(days=366)


def check_within_reach(day: date | None) -> None:
    """A ValidationError for a day more than ten years back or a year ahead."""
    today = local_today()
    if day and not today - REACH_BACK <= day <= today + REACH_AHEAD:
        raise ValidationError(_l("Choose days from ten years back to a year ahead."))
