"""Sign-in and activation forms; WTForms validates and keeps what the user typed."""

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.service import PASSWORD_MAX, PASSWORD_MIN
from app.forms import Form
from app.i18n import _l


class LoginForm(Form):
    login = StringField(
        _l("E-mail or user name"),
        validators=[DataRequired(_l("Write your e-mail or user name.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Write your password.")), Length(max=PASSWORD_MAX)],
    )


class ActivateForm(Form):
    code = StringField(
        _l("Code from your consultant"),
        validators=[DataRequired(_l("Write the code you got from your consultant.")),
                    Length(max=20)],
    )
    password = PasswordField(
        _l("Choose a password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
                   message=_l("The password must be at least %(min)d characters.",
                              min=PASSWORD_MIN)),
        ],
    )
    confirm = PasswordField(
        _l("Write the password again"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
    )
