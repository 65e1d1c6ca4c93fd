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
        "REDIS_URL": redis_url,
        "MAX_CONTENT_LENGTH": _env_int("POKJA_MAX_CONTENT_LENGTH", 10 * 1024 * 1024),
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
    if config["POKJA_ENV"] == "production":
        check_production_config(config)
    return config


def normalise_database_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://``; PostgreSQL is driven with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_production_config(config: dict[str, Any]) -> None:
    """Refuse to run in production with a secret anyone can read in this repository."""
    for key in ("SECRET_KEY", "JWT_SECRET_KEY"):
        value = config.get(key) or ""
        if value == DEFAULT_SECRET_KEY or len(value) < 32:
            raise ConfigError(
                f"{key} must be set to a random value of at least 32 characters in production "
                '(e.g. python -c "import secrets; print(secrets.token_urlsafe(48))")'
            )
