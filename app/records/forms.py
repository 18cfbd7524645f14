"""The period a record covers; read from the address, so no CSRF token (it changes nothing)."""

from datetime import date, timedelta

from wtforms import DateField
from wtforms.validators import InputRequired, ValidationError

from app.forms import Form
from app.i18n import _l
from app.records import service
from app.timeutil import local_today

BAD_DATE = _l("Choose a date, or write it as year-month-day, like 2025-03-24.")
# Far outside this there is nothing to report, and at the calendar's ends the day arithmetic
# of a record would overflow.
REACH_BACK, REACH_AHEAD = timedelta(days=3653), timedelta(days=366)
FAR = _l("Choose days from ten years back to a year ahead.")


def _within_reach(day: date | None) -> None:
    today = local_today()
    if day and not today - REACH_BACK <= day <= today + REACH_AHEAD:
        raise ValidationError(FAR)


class PeriodForm(Form):
    class Meta:
        csrf = False

    start = DateField(_l("From"), id="period-from", name="from",
                      validators=[InputRequired(BAD_DATE)],
                      invalid_value_message=BAD_DATE)
    end = DateField(_l("To"), id="period-to", name="to",
                    validators=[InputRequired(BAD_DATE)],
                    invalid_value_message=BAD_DATE)

    def validate_start(self, field: DateField) -> None:
        _within_reach(field.data)

    def validate_end(self, field: DateField) -> None:
        _within_reach(field.data)
        if self.start.data is None or field.data is None:
            return
        problem = service.period_problem(self.start.data, field.data)
        if problem == "order":
            raise ValidationError(_l("The end date must be on or after the start date."))
        if problem == "length":
            raise ValidationError(_l("Choose a period of at most a year."))


# A workplace observation's levels (1–5), always shown with words.
OBSERVATION_LEVELS = {
    1: _l("Very low"),
    2: _l("Low"),
    3: _l("Medium"),
    4: _l("Good"),
    5: _l("Very good"),
}

# The observed aspects rated on those levels, in the order the report lists them.
OBSERVATION_ASPECTS = {
    "understands_instructions": _l("Understands instructions"),
    "works_independently": _l("Works independently"),
    "works_with_others": _l("Works with others"),
    "pace": _l("Pace"),
    "quality": _l("Quality of the work"),
    "wellbeing": _l("Wellbeing"),
}
