"""The consultant's forms: a new participant, planned days, days off; the phase labels."""

from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.caseload.days import day_off_allowed
from app.forms import Form, check_within_reach
from app.i18n import _l, weekday_names
from app.models import Phase
from app.timeutil import local_today

PHASE_LABELS = {
    Phase.preparation: _l("Preparation"),
    Phase.placement: _l("Company placement"),
    Phase.paid_hours: _l("Paid hours"),
    Phase.job: _l("In a job"),
    Phase.aftercare: _l("Aftercare"),
    Phase.ended: _l("Ended"),
}


class NewParticipantForm(Form):
    display_name = StringField(
        _l("What they want to be called"),
        validators=[DataRequired(_l("Write the name they want to be called.")),
                    Length(max=80, message=_l("At most %(max)d characters.", max=80))],
    )
    full_name = StringField(
        _l("Full name (optional)"),
        validators=[Optional(),
                    Length(max=200, message=_l("At most %(max)d characters.", max=200))],
    )
    started_on = DateField(
        _l("Programme start"), default=local_today,
        validators=[InputRequired(_l("Write the day the programme starts."))],
    )
    phase = SelectField(
        _l("Phase"), choices=[(p.value, label) for p, label in PHASE_LABELS.items()],
        default=Phase.preparation.value,
        validate_choice=True,
    )

    def validate_started_on(self, field: DateField) -> None:
        check_within_reach(field.data)


class WeekdaysForm(Form):
    """The weekdays a participant is expected at the course, workshop or placement."""

    weekdays = SelectMultipleField(
        _l("Planned days"), coerce=int, option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[InputRequired(_l("Choose at least one day."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weekdays.choices = [(day, name.capitalize()) for day, name in weekday_names().items()]


class DayOffForm(Form):
    day = DateField(
        _l("Day"), validators=[InputRequired(_l("Write the day off."))],
        invalid_value_message=_l("Choose a date, or write it as year-month-day, like 2025-03-24."),
    )
    note = StringField(
        _l("Note (optional)"),
        validators=[Optional(),
                    Length(max=200, message=_l("At most %(max)d characters.", max=200))],
    )

    def validate_day(self, field) -> None:
        if field.data and not day_off_allowed(field.data, today=local_today()):
            raise ValidationError(_l("Choose a day from 8 weeks ago to a year ahead."))
