"""The staff settings form: working days and hours, and the last day away."""

from datetime import timedelta

from babel.dates import get_day_names
from flask_babel import get_locale
from wtforms import DateField, SelectMultipleField, TimeField, widgets
from wtforms.validators import DataRequired, Optional, ValidationError

from app.forms import Form
from app.i18n import _l
from app.models import User
from app.timeutil import local_today

# A longer absence is a change of consultant; a day far ahead would also break the date
# arithmetic that tells the participant when to expect an answer.
AWAY_AHEAD = timedelta(days=366)


class WorkingHoursForm(Form):
    days = SelectMultipleField(
        _l("Days I work"), coerce=int,
        option_widget=widgets.CheckboxInput(),
        validators=[DataRequired(_l("Choose at least one day."))],
    )
    start = TimeField(_l("I start at"), validators=[DataRequired(_l("Write a time, e.g. 8:30."))])
    end = TimeField(_l("I stop at"), validators=[DataRequired(_l("Write a time, e.g. 15:30."))])
    away_until = DateField(_l("Away until and including (if you are away)"),
                           validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = get_day_names("wide", locale=get_locale())  # Monday = 0
        self.days.choices = [(day, names[day]) for day in range(7)]

    @classmethod
    def of(cls, staff: User) -> "WorkingHoursForm":
        """The form filled in from what is saved."""
        days = [int(d) for d in staff.work_days.split(",") if d.strip().isdigit()]
        return cls(formdata=None, days=days, start=staff.work_start, end=staff.work_end,
                   away_until=staff.away_until)

    def validate_end(self, field: TimeField) -> None:
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("The end must be after the start."))

    def validate_away_until(self, field: DateField) -> None:
        if field.data and field.data < local_today():
            raise ValidationError(_l("Choose today or a later day, or leave it empty."))
        if field.data and field.data > local_today() + AWAY_AHEAD:
            raise ValidationError(_l("Choose a day at most a year ahead."))
