"""Configuration from the environment.

Every setting has a development default so that a fresh clone runs; production refuses the
defaults that would make it unsafe (see :func:`check_production_config`).
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

DEFAULT_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105 - the sentinel production refuses
ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the message is one line for the operator."""


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return value.strip().lower() in ("1", "true", "yes", "on") if value else default


def _networks(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(part.strip()) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigError(f"POKJA_METRICS_ALLOW: {exc}") from exc


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from ``POKJA_*`` and standard environment variables."""
    env = os.environ.get("POKJA_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"POKJA_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    database_url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "pokja.sqlite3")
    )
    secret = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    redis_url = os.environ.get("REDIS_URL") or None
    config: dict[str, Any] = {
        "POKJA_ENV": env,
        "TESTING": env == "testing",
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        # No pre-ping round trip on every checkout (issue 8): a connection the server dropped
        # fails its request once, answered 503, and the pool replaces it.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False, "pool_recycle": 1800},
        # Database faults (issue 9): every wait on the database is bounded, so that a held
        # lock or a stopped server costs a request seconds (answered 503), never a thread.
        "POKJA_DB_LOCK_TIMEOUT_MS": _env_int("POKJA_DB_LOCK_TIMEOUT_MS", 3000),
        "POKJA_DB_STATEMENT_TIMEOUT_MS": _env_int("POKJA_DB_STATEMENT_TIMEOUT_MS", 10000),
        "POKJA_DB_CONNECT_TIMEOUT": _env_int("POKJA_DB_CONNECT_TIMEOUT", 3),
        "POKJA_DB_POOL_TIMEOUT": _env_int("POKJA_DB_POOL_TIMEOUT", 5),
        "POKJA_DB_RETRIES": _env_int("POKJA_DB_RETRIES", 2),
        # psycopg prepares a statement on its Nth run on a connection (issue 8: the hot reads
        # are planned once per connection); 0 turns it off, for PgBouncer in transaction mode
        # before 1.21 (a prepared statement lives in one server connection).
        "POKJA_DB_PREPARE_THRESHOLD": _env_int("POKJA_DB_PREPARE_THRESHOLD", 5),
        "POKJA_RETRY_AFTER": _env_int("POKJA_RETRY_AFTER", 2),
        # The longest a request may run (gunicorn.conf.py's watchdog ends a worker whose
        # request outlives it); an Idempotency-Key whose request died is free again after it.
        "POKJA_REQUEST_TIMEOUT": _env_int("POKJA_REQUEST_TIMEOUT", 20),
        # The audit chain's HMAC keys, "id:secret,..." (pokja.audit.keys).
        "POKJA_AUDIT_KEYS": os.environ.get("POKJA_AUDIT_KEYS", ""),
        "POKJA_AUDIT_KEY_ID": os.environ.get("POKJA_AUDIT_KEY_ID") or None,
        "REDIS_URL": redis_url,
        "MAX_CONTENT_LENGTH": _env_int("POKJA_MAX_CONTENT_LENGTH", 10 * 1024 * 1024),
        # The input layer (pokja.api.inputs): JSON nesting, the calendar's years; HSTS.
        "POKJA_MAX_JSON_DEPTH": _env_int("POKJA_MAX_JSON_DEPTH", 32),
        "POKJA_MIN_YEAR": _env_int("POKJA_MIN_YEAR", 1900),
        "POKJA_MAX_YEAR": _env_int("POKJA_MAX_YEAR", 2100),
        "POKJA_HSTS_SECONDS": _env_int("POKJA_HSTS_SECONDS", 0),
        # Tokens: short-lived access JWTs, rotating refresh tokens (DESIGN §9).
        "JWT_SECRET_KEY": os.environ.get("JWT_SECRET_KEY", secret),
        "JWT_ALGORITHM": "HS256",
        "JWT_DECODE_ALGORITHMS": ["HS256"],
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=_env_int("POKJA_ACCESS_MINUTES", 15)),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=_env_int("POKJA_REFRESH_DAYS", 14)),
        "JWT_TOKEN_LOCATION": ["headers"],
        "JWT_ERROR_MESSAGE_KEY": "detail",
        # Rate limits: in memory by default, shared through Redis when configured.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "POKJA_LOGIN_LIMIT_PER_CLIENT": os.environ.get("POKJA_LOGIN_LIMIT_PER_CLIENT", "20/minute"),
        "POKJA_LOGIN_LIMIT_PER_USERNAME": os.environ.get(
            "POKJA_LOGIN_LIMIT_PER_USERNAME", "10/minute"
        ),
        # Reverse proxies in front whose X-Forwarded-For to trust (werkzeug's ProxyFix): the
        # login lock-out per address must see the client's, not the proxy's.
        "POKJA_TRUSTED_PROXIES": _env_int("POKJA_TRUSTED_PROXIES", 0),
        # The lock-out after failed logins, counted in the database (pokja.directory.throttle).
        "POKJA_LOGIN_MAX_FAILURES": _env_int("POKJA_LOGIN_MAX_FAILURES", 5),
        "POKJA_LOGIN_MAX_FAILURES_PER_CLIENT": _env_int("POKJA_LOGIN_MAX_FAILURES_PER_CLIENT", 20),
        "POKJA_LOGIN_WINDOW_SECONDS": _env_int("POKJA_LOGIN_WINDOW_SECONDS", 900),
        "POKJA_LOGIN_LOCKOUT_SECONDS": _env_int("POKJA_LOGIN_LOCKOUT_SECONDS", 900),
        # OpenAPI and Swagger UI (served from the flask-swagger-ui package, never a CDN).
        "API_TITLE": "pokja",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
        "ARGON2_PROFILE": "CHEAPEST" if env == "testing" else "RFC_9106_LOW_MEMORY",
        # /metrics: readable with this bearer token, or from these networks without a proxy.
        "POKJA_METRICS_ENABLED": os.environ.get("POKJA_METRICS_ENABLED", "true").lower()
        not in ("0", "false", "no", "off"),
        "POKJA_METRICS_TOKEN": os.environ.get("POKJA_METRICS_TOKEN") or None,
        "POKJA_METRICS_ALLOW": _networks(
            os.environ.get("POKJA_METRICS_ALLOW", "127.0.0.1/32,::1/128")
        ),
    }
    if overrides:
        config.update(overrides)
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config)
    if config["POKJA_ENV"] == "production":
        check_production_config(config)
    return config


def normalise_database_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://``; PostgreSQL is driven with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """The engine options with the database timeouts for the configured database.

    PostgreSQL gets ``lock_timeout`` and ``statement_timeout`` as connection options (sent
    with the startup packet: no statement of their own on any request) and a connect timeout;
    SQLite a busy timeout (see :func:`pokja.extensions.configure_sqlite`). Options given
    explicitly win.
    """
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = str(config["SQLALCHEMY_DATABASE_URI"])
    connect_args: dict[str, Any] = {}
    if url.startswith("postgresql"):
        connect_args = {
            "connect_timeout": config["POKJA_DB_CONNECT_TIMEOUT"],
            "prepare_threshold": config["POKJA_DB_PREPARE_THRESHOLD"] or None,
            "options": (
                f"-c lock_timeout={config['POKJA_DB_LOCK_TIMEOUT_MS']}"
                f" -c statement_timeout={config['POKJA_DB_STATEMENT_TIMEOUT_MS']}"
                # Timestamps come back in UTC, as the app keeps them (every zone it shows
                # is the Pokja's, named explicitly): whatever the server's default zone.
                " -c timezone=UTC"
            ),
        }
        options.setdefault("pool_timeout", config["POKJA_DB_POOL_TIMEOUT"])
    elif url.startswith("sqlite"):
        connect_args = {"timeout": config["POKJA_DB_LOCK_TIMEOUT_MS"] / 1000}
    options["connect_args"] = {**connect_args, **options.get("connect_args", {})}
    return options


def check_production_config(config: dict[str, Any]) -> None:
    """Refuse to run in production with a secret anyone can read in this repository."""
    for key in ("SECRET_KEY", "JWT_SECRET_KEY"):
        value = config.get(key) or ""
        if value == DEFAULT_SECRET_KEY or len(value) < 32:
            raise ConfigError(
                f"{key} must be set to a random value of at least 32 characters in production "
                '(e.g. python -c "import secrets; print(secrets.token_urlsafe(48))")'
            )
