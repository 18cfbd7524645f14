"""Rendering pages and htmx fragments from the same templates, redirects, response headers."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, RequestRedirect

from app.extensions import htmx

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def wants_fragment() -> bool:
    """Only a plain htmx request gets a fragment: boosted links and history restores need pages."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str | None = None, status: int = 200, **context) -> Response:
    """Render `page`, or `fragment` (a partial the page includes) for a plain htmx request."""
    template = fragment if fragment and wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def see_other(url: str) -> Response:
    """After a POST: a 303 for plain forms, HX-Redirect for htmx (never a page in a fragment)."""
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        if _only_anchor_differs(htmx.current_url, url):
            # Only the #anchor differs: the browser would just scroll, so ask htmx to reload.
            response.headers["HX-Refresh"] = "true"
        return response
    return redirect(url, code=303)


def _only_anchor_differs(current: str | None, target: str) -> bool:
    """True when going to `target` from `current` would load nothing: the browser only scrolls.
    (Without an anchor the same address does load again, so one load is enough there.)"""
    here, there = urlsplit(current or ""), urlsplit(target)
    return bool(here.path and there.fragment) and (here.path, here.query) == (
        there.path, there.query)


# Ids are the database's 32-bit integers; a bigger one must not reach a query (it raises there).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in a route: an id beyond MAX_ID does not match, so it is a plain 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def id_arg(name: str) -> int | None:
    """An id from the query string or form: None when missing, not a number or out of range."""
    value = request.values.get(name, type=int)
    return value if value is not None and 0 <= value <= MAX_ID else None


def local_path(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: never an open redirect.

    Browsers read a backslash as a slash and drop tabs and newlines, so "/\\evil.example" or
    "/<tab>/evil.example" would leave the site like "//evil.example" does.
    """
    target = target or ""
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(c) < 32 or ord(c) == 127 for c in target)):
        return fallback
    return target


def new_client_id() -> str:
    """Forms carry a client-made id so a double tap or replay changes nothing twice."""
    return str(uuid.uuid4())


def page_path() -> str:
    """The page being shown, to come back to (after a change of language, say).

    A form answered with its errors is shown at the address it was sent to, which may have no
    page to GET (/attendance/hours): then the page the form was on, from the same-origin
    Referer, or else home."""
    here = request.full_path.rstrip("?")
    if request.method == "GET":
        return here
    try:
        current_app.url_map.bind_to_environ(request.environ).match(request.path, method="GET")
        return here
    except RequestRedirect:  # e.g. /walks, whose page is /walks/
        return here
    except HTTPException:
        referrer = urlsplit(request.referrer or "")
        if referrer.netloc == request.host and referrer.path:
            return local_path(referrer.path + (f"?{referrer.query}" if referrer.query else ""),
                              url_for("core.home"))
        return url_for("core.home")


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before any blueprint adds its routes
    app.jinja_env.globals.update(new_client_id=new_client_id, page_path=page_path)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if not request.path.startswith("/static/"):
            # Personal data: never kept in a shared or browser cache.
            if current_user and current_user.is_authenticated:
                headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
