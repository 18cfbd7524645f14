"""Route guards by role. Object-level checks live in the services (see app.access)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.models import Role


def role_required(*roles: Role) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


participant_required = role_required(Role.participant)
staff_required = role_required(Role.consultant, Role.admin)
admin_required = role_required(Role.admin)
