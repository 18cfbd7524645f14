"""Forms for a group and its roll-call; the rules themselves live in the service."""

from babel.lists import format_list
from flask_babel import get_locale
from wtforms import SelectField, SelectMultipleField, StringField, TimeField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.caseload.attention import parse_weekdays
from app.forms import Form
from app.i18n import _l, weekday_names


def weekdays_label(stored: str) -> str:
    """"0,2" → "mandag og onsdag" (Danish), "Monday and Wednesday" (English)."""
    names = weekday_names()
    return format_list([names[day] for day in sorted(parse_weekdays(stored))],
                       locale=str(get_locale()))


class GroupForm(Form):
    name = StringField(
        _l("Name of the group"),
        validators=[DataRequired(_l("Write a name for the group.")),
                    Length(max=120, message=_l("At most %(max)d characters.", max=120))],
    )
    weekdays = SelectMultipleField(
        _l("Days the group meets"), coerce=int,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )
    starts_at = TimeField(
        _l("Starts at"), validators=[DataRequired(_l("Choose the time, for example 10:00."))]
    )
    place = StringField(
        _l("Place"), validators=[Length(max=200, message=_l("Write at most 200 characters."))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weekdays.choices = [(day, name.capitalize()) for day, name in weekday_names().items()]

    def validate_weekdays(self, field: SelectMultipleField) -> None:
        # Checked here, not with DataRequired, which would mark every checkbox `required`.
        if not field.data:
            raise ValidationError(_l("Choose at least one day."))


class AddMemberForm(Form):
    # Any id may come back: the view checks the caseload (404 outside it), and adding someone
    # already in the group (a double tap) changes nothing.
    participant_id = SelectField(
        _l("Add a participant"), coerce=int, validate_choice=False,
        validators=[DataRequired(_l("Choose a participant."))],
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_id.choices = [(person.id, person.display_name) for person in people]
