"""Flask extension singletons, initialised in create_app."""

from flask_babel import Babel
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
login_manager = LoginManager()
