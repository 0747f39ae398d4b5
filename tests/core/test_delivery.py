"""Delivery files, checked without a Docker engine: the compose file names every service the
settings need with a health check, the Dockerfile has what production needs, the GitLab pipeline
has its stages and gates, and the deploy script migrates, gates on health and rolls back."""

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile():
    return (ROOT / "Dockerfile").read_text()


@pytest.fixture(scope="module")
def pipeline():
    return yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())


# --- docker-compose.yml -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["web", "worker", "beat", "postgres", "redis", "rabbitmq"])
def test_compose_has_the_service_with_a_health_check(compose, name):
    services = compose["services"]
    assert name in services, name
    check = services[name].get("healthcheck", {})
    assert check.get("test") and not check.get("disable"), f"{name} has no health check"


def test_compose_web_health_check_calls_healthz(compose):
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_compose_wires_the_settings_to_the_services(compose):
    env = compose["services"]["web"]["environment"]
    # Each URL the settings read points at a service of this file.
    assert env["DATABASE_URL"].split("@")[1].startswith("postgres:5432/")
    assert env["REDIS_URL"].startswith("redis://redis-cache:6379/")  # the evictable cache
    assert env["TOKEN_STORE_URL"].startswith("redis://redis:6379/")  # the persistent stores
    assert env["ANALYTICS_REDIS_URL"].startswith("redis://redis:6379/")
    assert env["CELERY_BROKER_URL"].split("@")[1].startswith("rabbitmq:5672")
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert compose["services"]["worker"]["environment"] == {**env, "CELERY_METRICS_PORT": "9100"}


@pytest.mark.parametrize("required", ["SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS"])
def test_compose_passes_the_required_setting(compose, required):
    assert required in compose["services"]["web"]["environment"]


@pytest.mark.parametrize("name", ["beat", "migrate"])
def test_compose_gives_the_service_the_web_environment(compose, name):
    assert compose["services"][name]["environment"] == compose["services"]["web"]["environment"]


def test_compose_migrates_once_before_the_app_starts(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["command"][:3] == ["gunicorn", "-c", "config/gunicorn.py"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


@pytest.mark.parametrize(
    ("dependency", "condition"),
    [
        ("migrate", "service_completed_successfully"),
        ("postgres", "service_healthy"),
        ("redis", "service_healthy"),
        ("rabbitmq", "service_healthy"),
    ],
    ids=["migrate", "postgres", "redis", "rabbitmq"],
)
@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_compose_app_service_waits_for_migrate_and_healthy_backing_services(compose, name, dependency, condition):
    assert compose["services"][name]["depends_on"][dependency]["condition"] == condition


def test_compose_redis_persists_and_never_evicts(compose):
    command = " ".join(compose["services"]["redis"]["command"])
    assert "--appendonly yes" in command and "--maxmemory-policy noeviction" in command


# --- Dockerfile ---------------------------------------------------------------------------------
def test_dockerfile_is_multi_stage_slim_and_non_root(dockerfile):
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", dockerfile, re.MULTILINE)
    assert len(stages) >= 2
    assert all("slim" in image for image, _ in stages)
    assert "COPY --from=build" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")


def test_dockerfile_collects_static_checks_health_and_runs_gunicorn(dockerfile):
    assert re.search(r"^RUN .*\\\n(.*\\\n)*.*manage\.py collectstatic --noinput", dockerfile, re.MULTILINE)
    healthcheck = re.search(r"^HEALTHCHECK (?:[^\n]*\\\n)*[^\n]*", dockerfile, re.MULTILINE).group(0)
    assert "/healthz" in healthcheck
    cmd = re.findall(r"^CMD\s+(.*)$", dockerfile, re.MULTILINE)[-1]
    assert cmd.startswith('["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]')
    assert "requirements/production.txt" in dockerfile


@pytest.mark.parametrize("entry", [".git", ".venv", ".env", "db.sqlite3", "staticfiles/", "media/"])
def test_dockerignore_keeps_secrets_and_local_state_out(entry):
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert entry in ignored, entry


# --- .gitlab-ci.yml -------------------------------------------------------------------------------
def test_pipeline_stages_and_jobs(pipeline):
    assert pipeline["stages"] == ["lint", "test", "build", "staging", "production"]
    for job, stage in {
        "lint": "lint",
        "test": "test",
        "build": "build",
        "deploy_staging": "staging",
        "deploy_production": "production",
    }.items():
        assert pipeline[job]["stage"] == stage, job
    assert any("ruff check" in line for line in pipeline["lint"]["script"])


def test_pipeline_tests_against_real_services(pipeline):
    services = {service["alias"] for service in pipeline["test"]["services"]}
    assert {"postgres", "redis", "rabbitmq"} <= services
    assert pipeline["test"]["script"] == ["make test"]
    variables = pipeline["test"]["variables"]
    assert variables["TEST_DATABASE_URL"].endswith("@postgres:5432/bazaar")
    assert variables["TEST_REDIS_URL"].startswith("redis://redis:6379/")
    user, password = variables["RABBITMQ_DEFAULT_USER"], variables["RABBITMQ_DEFAULT_PASS"]
    assert user != "guest"  # guest may only connect from localhost
    assert variables["TEST_BROKER_URL"] == f"amqp://{user}:{password}@rabbitmq:5672//"


def test_staging_is_automatic_and_production_manual_on_main(pipeline):
    staging = pipeline["deploy_staging"]["rules"][0]
    assert "CI_DEFAULT_BRANCH" in staging["if"] and staging.get("when", "on_success") == "on_success"
    production = pipeline["deploy_production"]["rules"][0]
    assert "CI_DEFAULT_BRANCH" in production["if"] and production["when"] == "manual"
    assert pipeline["deploy_production"]["needs"] == ["deploy_staging"]
    assert pipeline["build"]["rules"][0]["if"] == staging["if"]


def test_pipeline_can_roll_back_to_any_of_the_last_three_images(pipeline):
    rollbacks = {name: job for name, job in pipeline.items() if name.startswith("rollback_production_")}
    assert len(rollbacks) == 3
    steps = sorted(job["script"][0].rsplit(" ", 1)[1] for job in rollbacks.values())
    assert steps == ["1", "2", "3"]
    assert pipeline[".rollback_production"]["rules"][0]["when"] == "manual"


# --- scripts/deploy.sh, run against fake docker/curl/ssh ------------------------------------------
@pytest.fixture
def fake_host(tmp_path):
    """A PATH with fake ``docker`` and ``curl`` that record calls; the deploy runs 'locally'."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.log"
    (bin_dir / "docker").write_text(f'#!/usr/bin/env bash\necho "IMAGE_TAG=$IMAGE_TAG docker $*" >> {calls}\n')
    (bin_dir / "curl").write_text(f'#!/usr/bin/env bash\necho "curl $*" >> {calls}\nexit "${{FAKE_READY:-0}}"\n')
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    deploy_dir = tmp_path / "srv"
    deploy_dir.mkdir()

    def run(*args, ready=True):
        env = {
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "DEPLOY_DIR": str(deploy_dir),
            "DEPLOY_URL": "https://staging.example.com",
            "HEALTH_TIMEOUT": "0",
            "FAKE_READY": "0" if ready else "1",
        }
        result = subprocess.run(
            ["bash", str(ROOT / "scripts" / "deploy.sh"), *args], env=env, capture_output=True, text=True, timeout=30
        )
        log = calls.read_text().splitlines() if calls.exists() else []
        calls.unlink(missing_ok=True)
        return result, log

    run.history = lambda env: (deploy_dir / f"releases-{env}").read_text().split()
    return run


def test_deploy_migrates_before_replacing_then_gates_on_health(fake_host):
    result, calls = fake_host("deploy", "staging", "v1")
    assert result.returncode == 0, result.stderr
    steps = [call.split(" docker compose ")[1].split()[0] for call in calls if "docker compose" in call]
    assert steps == ["pull", "run", "up"]
    assert "run --rm migrate" in calls[1] and "IMAGE_TAG=v1" in calls[1]
    assert calls[-1].startswith("curl") and calls[-1].endswith("https://staging.example.com/readyz")
    assert fake_host.history("staging") == ["v1"]


def test_failed_health_gate_puts_the_previous_release_back(fake_host):
    fake_host("deploy", "production", "v1")
    result, calls = fake_host("deploy", "production", "v2", ready=False)
    assert result.returncode == 1
    assert calls[-1].startswith("IMAGE_TAG=v1 docker compose up")
    assert fake_host.history("production") == ["v1"]


@pytest.mark.parametrize(("steps", "expected"), [("1", "v3"), ("2", "v2"), ("3", "v1")])
def test_rollback_to_any_of_the_last_three(fake_host, steps, expected):
    for tag in ("v1", "v2", "v3", "v4"):
        fake_host("deploy", "production", tag)
    result, calls = fake_host("rollback", "production", steps)
    assert result.returncode == 0, result.stderr
    assert all(f"IMAGE_TAG={expected}" in call for call in calls if "docker" in call)
    assert not any("migrate" in call and "run" in call for call in calls)  # rollbacks never migrate
    assert fake_host.history("production")[-1] == expected


def test_rollback_refuses_more_than_three(fake_host):
    result, _ = fake_host("rollback", "production", "4")
    assert result.returncode == 2


# --- make test and .ci/run ------------------------------------------------------------------------
def test_make_test_runs_every_gate():
    result = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    steps = result.stdout
    order = [
        "scripts/ensure_services.sh",
        "ruff check .",
        "ruff format --check .",
        "lint-imports",
        "makemigrations --check",
        "config.settings.production",
        "check --deploy --fail-level WARNING",
        "bin/pytest ",
    ]
    positions = [steps.index(step) for step in order]
    assert positions == sorted(positions)
    pytest_line = next(line for line in steps.splitlines() if "bin/pytest " in line)
    assert "--cov " in pytest_line and " -m " not in pytest_line  # the whole suite, measured


def test_coverage_floor_is_85_percent_of_apps():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["coverage"]
    assert config["run"]["source"] == ["apps"]
    assert config["report"]["fail_under"] >= 85


def test_ci_entry_point_starts_services_then_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
    assert script.index("ensure_services.sh") < script.index("make test")
