"""The admin's forms: a new consultant, a change of consultant, the access log's filters."""

from wtforms import DateField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.admin.service import DEFAULT_OVERLAP_DAYS
from app.forms import Form, check_within_reach
from app.i18n import _l


class NewConsultantForm(Form):
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Write the consultant's name.")),
                    Length(max=200, message=_l("At most %(max)d characters.", max=200))],
    )
    email = EmailField(
        _l("E-mail"), filters=[lambda value: value.strip() if value else value],
        validators=[DataRequired(_l("Write the consultant's e-mail.")),
                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                           message=_l("Write a whole e-mail address, like name@example.org.")),
                    Length(max=254, message=_l("At most %(max)d characters.", max=254))],
    )


class ChangeConsultantForm(Form):
    consultant = SelectField(_l("New consultant"), coerce=int,
                             validators=[DataRequired(_l("Choose the new consultant."))])
    overlap_days = IntegerField(
        _l("Days both follow the participant"), default=DEFAULT_OVERLAP_DAYS,
        validators=[NumberRange(0, 90, _l("Write a number of days from 0 to 90."))],
    )


class LogFilterForm(Form):
    """Read from the query string; a filter changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    staff = SelectField(_l("Staff member"), coerce=int, validators=[Optional()])
    participant = SelectField(_l("Participant"), coerce=int, validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def validate_since(self, field: DateField) -> None:
        check_within_reach(field.data)

    def validate_until(self, field: DateField) -> None:
        check_within_reach(field.data)
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("Choose a day on or after the first day."))
