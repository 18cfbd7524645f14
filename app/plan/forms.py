"""Forms of the målskema: the participant's own sub-goals and scale, the consultant's editing."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from app.forms import Form
from app.i18n import _l, decimal_text, lazy_number
from app.models import Responsible

TOO_LONG = _l("Please keep it to %(max)d characters or fewer.")
BAD_DATE = _l("Choose a date, or write it as year-month-day, like 2025-03-24.")

# Who does what, as the participant says it and as the consultant says it.
RESPONSIBLE_FOR_PARTICIPANT = {
    Responsible.participant: _l("Me"),
    Responsible.consultant: _l("My consultant"),
    Responsible.employer: _l("The employer"),
    Responsible.case_worker: _l("My case worker"),
}
RESPONSIBLE_FOR_STAFF = {
    Responsible.participant: _l("Participant"),
    Responsible.consultant: _l("Consultant"),
    Responsible.employer: _l("Employer"),
    Responsible.case_worker: _l("Case worker"),
}


def _title_field() -> StringField:
    return StringField(
        _l("Sub-goal"),
        validators=[DataRequired(_l("Write the sub-goal in a few words.")),
                    Length(max=200, message=TOO_LONG)],
    )


def _due_field() -> DateField:
    return DateField(_l("When (optional)"), validators=[Optional()],
                     invalid_value_message=BAD_DATE)


def _prompt(label) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=500, message=TOO_LONG)])


class OwnSubGoalForm(Form):
    """A small sub-goal the participant adds or changes."""

    title = _title_field()
    due_on = _due_field()


class ScaleForm(Form):
    """The asymmetric alliance: how able am I to reach it, 1–10, and the three questions."""

    value = RadioField(
        _l("How able am I to reach it?"),
        choices=[(n, str(n)) for n in range(1, 11)],
        coerce=int,
        validators=[InputRequired(_l("Choose a number from 1 to 10."))],
        invalid_value_message=_l("Choose a number from 1 to 10."),
        invalid_choice_message=_l("Choose a number from 1 to 10."),
    )
    what_is_needed = _prompt(_l("What is needed?"))
    what_i_can_do = _prompt(_l("What can I do myself?"))
    help_needed = _prompt(_l("What help do I need?"))


class GoalForm(Form):
    """The job goal, up to three job wishes and the accommodations (skånehensyn)."""

    job_goal = StringField(_l("Job goal"), validators=[Length(max=300, message=TOO_LONG)])
    wish_1 = StringField(_l("Job wish 1"), validators=[Length(max=200, message=TOO_LONG)])
    wish_2 = StringField(_l("Job wish 2"), validators=[Length(max=200, message=TOO_LONG)])
    wish_3 = StringField(_l("Job wish 3"), validators=[Length(max=200, message=TOO_LONG)])
    accommodations = TextAreaField(_l("Accommodations"),
                                   validators=[Length(max=2000, message=TOO_LONG)])

    def wishes(self) -> list[str]:
        return [self.wish_1.data or "", self.wish_2.data or "", self.wish_3.data or ""]


class StaffSubGoalForm(Form):
    """A sub-goal as the consultant sets it, including who does it and whether it is agreed."""

    title = _title_field()
    responsible = SelectField(
        _l("Who does it"),
        choices=[(r.value, label) for r, label in RESPONSIBLE_FOR_STAFF.items()],
        coerce=Responsible,
        default=Responsible.participant.value,
        invalid_value_message=_l("Choose who does it."),
        invalid_choice_message=_l("Choose who does it."),
    )
    due_on = _due_field()
    agreed = BooleanField(_l("Agreed with the participant"))
    done = BooleanField(_l("Done"))


class HoursField(FloatField):
    """Hours a week as typed: 12,5 on a Danish keyboard, 12.5, or in Arabic or Persian digits."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata([decimal_text(value) for value in valuelist])


HOURS_AS_NUMBER = _l("Write the hours as a number, like 9 or %(example)s.",
                     example=lazy_number(12.5))


class StepForm(Form):
    """A step of the step-up plan (optrappingsplan)."""

    starts_on = DateField(
        _l("From"), validators=[InputRequired(_l("Choose the day the step starts."))],
        invalid_value_message=BAD_DATE,
    )
    hours_per_week = HoursField(
        _l("Hours a week"),
        validators=[
            InputRequired(_l("Write the hours a week.")),
            NumberRange(min=0.5, max=37,
                        message=_l("Write a number of hours from %(least)s to 37.",
                                   least=lazy_number(0.5))),
        ],
        invalid_value_message=HOURS_AS_NUMBER,
        render_kw={"inputmode": "decimal"},
    )
