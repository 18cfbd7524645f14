"""Fingerprinted static files: url_for('static') adds ?v=<content hash>, and such a request may
be cached for a year because a changed file gets a new URL."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, current_app, request

IMMUTABLE = "public, max-age=31536000, immutable"


@cache
def _hash(path: Path, _mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_hash(filename: str) -> str | None:
    """The content hash of a file under static/, or None when there is no such file."""
    folder = Path(current_app.static_folder).resolve()
    path = (folder / filename).resolve()
    if not path.is_file() or folder not in path.parents:
        return None
    # The modification time is part of the key, so an edited file is hashed again.
    return _hash(path, path.stat().st_mtime_ns)


def static_files() -> list[str]:
    """Every file under static/, as url_for('static') names them."""
    folder = Path(current_app.static_folder)
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            version = static_hash(values.get("filename", ""))
            if version:
                values["v"] = version

    @app.after_request
    def _static_caching(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            current = static_hash(request.view_args.get("filename", ""))
            fingerprinted = current is not None and request.args.get("v") == current
            # An old or missing fingerprint gets today's file, checked again on every use.
            response.headers["Cache-Control"] = IMMUTABLE if fingerprinted else "no-cache"
        return response
