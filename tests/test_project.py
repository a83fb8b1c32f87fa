"""Project-level guarantees: checks, migrations, deploy settings, compose file, README."""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_system_check_is_clean():
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # exits with SystemExit(1) when a migration is missing
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def deploy_check(**env: str | None) -> subprocess.CompletedProcess:
    """`manage.py check --deploy --fail-level WARNING` under the prod settings with a real
    secret key and hosts, a fresh ballot sealing key, and `env` on top (None: unset)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "slecop.settings.prod",
        "DJANGO_SECRET_KEY": "x" * 20 + "prod-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "portal.stemecosystems.org",
        "DATABASE_URL": "sqlite:////tmp/slecop-deploy-check.sqlite3",
        "BALLOT_SEALING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "REDIS_URL": None,
        "DJANGO_ALLOW_ASYNC_UNSAFE": None,
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={name: value for name, value in environment.items() if value is not None},
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_with_prod_settings():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _prod_setting(expression: str, **env: str) -> str:
    """What `expression` (over django.conf.settings) is under the prod settings."""
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print({expression})"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "slecop.settings.prod",
            "DJANGO_SECRET_KEY": "k" * 60,
            "ALLOWED_HOSTS": "example.org",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_prod_settings_require_mfa_for_staff_and_dev_does_not():
    assert _prod_setting("settings.SLECOP_REQUIRE_MFA_FOR_STAFF") == "True"
    from slecop.settings import dev

    assert dev.SLECOP_REQUIRE_MFA_FOR_STAFF is False


def test_prod_keeps_database_connections_unless_told_otherwise():
    """A new PostgreSQL connection for every request costs more than most pages; prod
    keeps one per worker (checked before reuse), as the load benchmark measures it."""
    db = "settings.DATABASES['default']"
    url = "postgres://u@db:5432/slecop"
    expression = f"({db}['CONN_MAX_AGE'], {db}['CONN_HEALTH_CHECKS'])"
    assert _prod_setting(expression, DATABASE_URL=url) == "(60, True)"
    assert _prod_setting(expression, DATABASE_URL=url, CONN_MAX_AGE="0") == "(0, True)"
    assert _prod_setting(expression, DATABASE_URL=f"{url}?conn_max_age=5") == "(5, True)"


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_documented_services():
    services = _compose()["services"]
    assert set(services) >= {"web", "worker", "beat", "postgres", "redis"}
    assert "gunicorn" in services["web"]["command"]
    assert "slecop.wsgi" in services["web"]["command"]
    assert "celery" in services["worker"]["command"] and "worker" in services["worker"]["command"]
    assert "celery" in services["beat"]["command"] and "beat" in services["beat"]["command"]
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


def test_compose_env_matches_the_settings_the_readme_documents():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.M))
    assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "ALLOWED_HOSTS"} <= documented
    settings_text = (ROOT / "slecop" / "settings" / "base.py").read_text()
    settings_text += (ROOT / "slecop" / "settings" / "prod.py").read_text()
    for name in documented - {"DJANGO_SETTINGS_MODULE"}:  # each one is read by the settings
        assert f'"{name}"' in settings_text, name
    compose = _compose()
    for service in ("web", "worker", "beat"):
        env = compose["services"][service]["environment"]
        assert set(env) <= documented, set(env) - documented
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["DATABASE_URL"].endswith("@postgres:5432/slecop")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["DJANGO_SETTINGS_MODULE"] == "slecop.settings.prod"


def test_readme_names_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
