"""Configuration from the environment: production refuses unsafe secrets; URLs are normalised."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from pokja import create_app
from pokja.config import DEFAULT_SECRET_KEY, ConfigError, load_config, normalise_database_url

ENV_VARS = (
    "POKJA_ENV",
    "SECRET_KEY",
    "JWT_SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "POKJA_ACCESS_MINUTES",
    "POKJA_REFRESH_DAYS",
    "POKJA_MAX_CONTENT_LENGTH",
    "POKJA_LOGIN_LIMIT_PER_CLIENT",
    "POKJA_LOGIN_LIMIT_PER_USERNAME",
)


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment whose database is a throw-away SQLite file."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'config-test.sqlite3'}")
    return monkeypatch


def assert_one_line_refusal(excinfo, key):
    message = str(excinfo.value)
    assert "\n" not in message
    assert message.startswith(f"{key} must be set")
    return message


@pytest.mark.parametrize(
    "secret",
    [None, "", DEFAULT_SECRET_KEY, "x" * 31, "short"],
    ids=["missing", "empty", "default", "31-chars", "short"],
)
def test_production_refuses_a_missing_default_or_short_secret_key(env, tmp_path, secret):
    env.setenv("POKJA_ENV", "production")
    if secret is not None:
        env.setenv("SECRET_KEY", secret)

    with pytest.raises(ConfigError) as excinfo:
        load_config(str(tmp_path))

    message = assert_one_line_refusal(excinfo, "SECRET_KEY")
    if secret:
        assert secret not in message


def test_create_app_refuses_to_start_in_production_with_the_default_secret(env):
    env.setenv("POKJA_ENV", "production")
    env.setenv("SECRET_KEY", DEFAULT_SECRET_KEY)

    with pytest.raises(ConfigError) as excinfo:
        create_app()

    assert_one_line_refusal(excinfo, "SECRET_KEY")


def test_production_refuses_a_short_jwt_secret_even_with_a_good_secret_key(env, tmp_path):
    env.setenv("POKJA_ENV", "production")
    env.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    env.setenv("JWT_SECRET_KEY", "too-short")

    with pytest.raises(ConfigError) as excinfo:
        load_config(str(tmp_path))

    assert_one_line_refusal(excinfo, "JWT_SECRET_KEY")


def test_overrides_cannot_smuggle_a_weak_secret_into_production(env, tmp_path):
    with pytest.raises(ConfigError):
        create_app({"POKJA_ENV": "production", "SECRET_KEY": "weak", "JWT_SECRET_KEY": "weak"})


def test_production_starts_with_a_long_random_secret(env):
    secret = secrets.token_urlsafe(48)
    env.setenv("POKJA_ENV", "production")
    env.setenv("SECRET_KEY", secret)

    app = create_app()

    assert app.config["POKJA_ENV"] == "production"
    assert app.config["TESTING"] is False
    assert app.config["SECRET_KEY"] == secret
    assert app.config["JWT_SECRET_KEY"] == secret
    assert app.config["ARGON2_PROFILE"] == "RFC_9106_LOW_MEMORY"
    assert app.test_client().get("/healthz").status_code == 200


def test_development_starts_with_the_default_secret(env, tmp_path):
    config = load_config(str(tmp_path))

    assert config["POKJA_ENV"] == "development"
    assert config["SECRET_KEY"] == DEFAULT_SECRET_KEY


def test_an_unknown_environment_name_is_refused(env, tmp_path):
    env.setenv("POKJA_ENV", "prod")

    with pytest.raises(ConfigError, match="POKJA_ENV"):
        load_config(str(tmp_path))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/pokja", "postgresql+psycopg://u:p@db:5432/pokja"),
        ("postgresql://u:p@db/pokja", "postgresql+psycopg://u:p@db/pokja"),
        ("postgresql+psycopg://u@db/pokja", "postgresql+psycopg://u@db/pokja"),
        ("sqlite:////var/lib/pokja.sqlite3", "sqlite:////var/lib/pokja.sqlite3"),
    ],
)
def test_database_urls_are_normalised_to_psycopg(env, tmp_path, given, expected):
    env.setenv("DATABASE_URL", given)

    assert load_config(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == expected
    assert normalise_database_url(given) == expected


def test_without_database_url_a_sqlite_file_in_the_instance_folder_is_used(env, tmp_path):
    env.delenv("DATABASE_URL")

    uri = load_config(str(tmp_path))["SQLALCHEMY_DATABASE_URI"]

    assert uri == f"sqlite:///{tmp_path / 'pokja.sqlite3'}"


def test_token_lifetimes_limits_and_body_size_come_from_the_environment(env, tmp_path):
    env.setenv("POKJA_ACCESS_MINUTES", "5")
    env.setenv("POKJA_REFRESH_DAYS", "2")
    env.setenv("POKJA_MAX_CONTENT_LENGTH", "2048")
    env.setenv("POKJA_LOGIN_LIMIT_PER_USERNAME", "3/minute")
    env.setenv("REDIS_URL", "redis://cache:6379/0")

    config = load_config(str(tmp_path))

    assert config["JWT_ACCESS_TOKEN_EXPIRES"] == timedelta(minutes=5)
    assert config["JWT_REFRESH_TOKEN_EXPIRES"] == timedelta(days=2)
    assert config["MAX_CONTENT_LENGTH"] == 2048
    assert config["POKJA_LOGIN_LIMIT_PER_USERNAME"] == "3/minute"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"


def test_the_defaults_are_fifteen_minute_access_tokens_and_in_memory_limits(env, tmp_path):
    config = load_config(str(tmp_path))

    assert config["JWT_ACCESS_TOKEN_EXPIRES"] == timedelta(minutes=15)
    assert config["JWT_DECODE_ALGORITHMS"] == ["HS256"]
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["MAX_CONTENT_LENGTH"] == 10 * 1024 * 1024


def test_postgresql_prepares_statements_unless_turned_off_for_a_transaction_pooler(tmp_path):
    from pokja.config import load_config

    def connect_args(**overrides: object) -> dict:
        config = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/pokja", **overrides}
        return load_config(str(tmp_path), config)["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]

    assert connect_args()["prepare_threshold"] == 5
    assert connect_args(POKJA_DB_PREPARE_THRESHOLD=0)["prepare_threshold"] is None
