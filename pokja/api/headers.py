"""Security headers on every response (DESIGN §9 "Headers"), set once in an ``after_request``
hook so that every route, present and future, carries them.

- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` everywhere;
- ``Cache-Control: no-store`` on every response that does not choose its own caching (the
  Swagger UI assets do): authenticated answers carry names and NIPs, login and refresh carry
  tokens, and an error about either is no more cacheable;
- ``X-Frame-Options: DENY`` everywhere, and a Content-Security-Policy: ``default-src 'none'``
  for JSON, and for the Swagger UI page one that admits its own assets and its inline start-up
  script by hash (no ``unsafe-inline`` script);
- ``Strict-Transport-Security`` when ``POKJA_HSTS_SECONDS`` is set (behind a TLS proxy).
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, current_app
from flask.wrappers import Response

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def docs_csp(html: str) -> str:
    """The policy of an HTML page (Swagger UI): its own assets, and exactly its inline
    scripts, named by their SHA-256."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


def security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    if "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    if "Content-Security-Policy" not in headers:
        html = response.mimetype == "text/html" and not response.direct_passthrough
        headers["Content-Security-Policy"] = (
            docs_csp(response.get_data(as_text=True)) if html else API_CSP
        )
    hsts = current_app.config.get("POKJA_HSTS_SECONDS") or 0
    if hsts > 0:
        headers.setdefault("Strict-Transport-Security", f"max-age={hsts}; includeSubDomains")
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(security_headers)
