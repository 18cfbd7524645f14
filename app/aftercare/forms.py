"""Forms of aftercare and the weekly check-in; every 1–5 answer is shown with words."""

from __future__ import annotations

from wtforms import FieldList, FormField, IntegerField, RadioField, TextAreaField
from wtforms import Form as PlainForm
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms import Form
from app.i18n import _, _l, ngettext
from app.plan.forms import HOURS_AS_NUMBER, TOO_LONG, HoursField

# How work (or the week) is going, 1–5: words first, so nobody has to guess what a 3 means.
HOW_LABELS = {
    1: _l("Hard"),
    2: _l("Not so good"),
    3: _l("Okay"),
    4: _l("Good"),
    5: _l("Really well"),
}
YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
HELD_LABELS = {"phone": _l("By phone"), "visit": _l("Visit")}
PICK_HOW = _l("Choose the answer that fits best.")
PICK_YES_NO = _l("Choose yes or no.")


def _how(label) -> RadioField:
    return RadioField(label, choices=list(HOW_LABELS.items()), coerce=int,
                      validators=[InputRequired(PICK_HOW)], invalid_choice_message=PICK_HOW,
                      invalid_value_message=PICK_HOW)


def _yes_no(label) -> RadioField:
    return RadioField(label, choices=YES_NO, validators=[InputRequired(PICK_YES_NO)],
                      invalid_choice_message=PICK_YES_NO)


def _hours_in_range(_form, field) -> None:
    # Skipped when the text was not a number: that has its own message already.
    if field.data is not None and not 0 <= field.data <= 80:
        raise ValidationError(_("Write a number of hours from 0 to 80."))


def _hours(label) -> HoursField:
    return HoursField(label, validators=[Optional(), _hours_in_range],
                      invalid_value_message=HOURS_AS_NUMBER,
                      render_kw={"inputmode": "decimal"})


def _hard() -> TextAreaField:
    return TextAreaField(_l("Is something hard? (optional)"),
                         validators=[Length(max=1000, message=TOO_LONG)])


class CheckInForm(Form):
    """The participant's aftercare check-in."""

    how_it_goes = _how(_l("How is work going?"))
    hours_per_week = _hours(_l("About how many hours a week do you work? (optional)"))
    what_is_hard = _hard()
    wants_contact = _yes_no(_l("Do you want your consultant to contact you?"))


class WeeklyForm(Form):
    """How was your week? One scale and one question."""

    how_it_went = _how(_l("How was your week?"))
    wants_to_talk = _yes_no(_l("Do you need to talk to your consultant?"))


class HeldForm(Form):
    """A check-in the consultant held by phone or visit; answers as far as they are known."""

    how = RadioField(_l("How was it held?"), choices=list(HELD_LABELS.items()),
                     validators=[InputRequired(_l("Choose phone or visit."))],
                     invalid_choice_message=_l("Choose phone or visit."))
    how_it_goes = RadioField(
        _l("How is work going?"), choices=[(0, _l("Not known"))] + list(HOW_LABELS.items()),
        coerce=int, default=0, validators=[Optional()], invalid_choice_message=PICK_HOW)
    hours_per_week = _hours(_l("Hours a week (if known)"))
    what_is_hard = TextAreaField(_l("What is hard"), validators=[Length(max=1000,
                                                                          message=TOO_LONG)])
    wants_contact = RadioField(_l("Wants more contact"),
                               choices=[("", _l("Not known"))] + YES_NO, default="",
                               validators=[Optional()], invalid_choice_message=PICK_YES_NO)
    note = TextAreaField(_l("Note"), validators=[Length(max=2000, message=TOO_LONG)])


class _PairForm(PlainForm):
    months = IntegerField(_l("Months"), validators=[
        Optional(), NumberRange(min=0, max=24, message=_l("Write 0 to 24 months."))],
        invalid_value_message=_l("Write a whole number."))
    days = IntegerField(_l("Days"), validators=[
        Optional(), NumberRange(min=0, max=365, message=_l("Write 0 to 365 days."))],
        invalid_value_message=_l("Write a whole number."))


class ScheduleForm(Form):
    """The organisation's aftercare schedule: up to eight check-ins, months and days after the
    job start; blank rows are left out."""

    check_ins = FieldList(FormField(_PairForm), min_entries=8, max_entries=8)

    def pairs(self) -> tuple[tuple[int, int], ...]:
        return tuple((row.months.data or 0, row.days.data or 0) for row in self.check_ins
                     if row.months.data is not None or row.days.data is not None)


def after_words(months: int, days: int) -> str:
    """"3 months", "1 month and 10 days", "1 week": a schedule entry in plain words."""
    month_words = ngettext("%(num)d month", "%(num)d months", months) if months else ""
    if days and days % 7 == 0:
        day_words = ngettext("%(num)d week", "%(num)d weeks", days // 7)
    else:
        day_words = ngettext("%(num)d day", "%(num)d days", days) if days else ""
    if month_words and day_words:
        return _("%(months)s and %(days)s", months=month_words, days=day_words)
    return month_words or day_words


def schedule_text(schedule: tuple[tuple[int, int], ...]) -> str:
    """The whole schedule in words: "7 days, 1 month, 3 months"."""
    return ", ".join(after_words(months, days) for months, days in schedule)
