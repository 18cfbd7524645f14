"""The period a record covers; read from the address, so no CSRF token (it changes nothing)."""

from wtforms import DateField
from wtforms.validators import InputRequired, ValidationError

from app.forms import Form, check_within_reach
from app.i18n import _l
from app.records import service

BAD_DATE = _l("Choose a date, or write it as year-month-day, like 2025-03-24.")


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
        check_within_reach(field.data)

    def validate_end(self, field: DateField) -> None:
        check_within_reach(field.data)
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
