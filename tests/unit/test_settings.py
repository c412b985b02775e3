"""Settings per function: each function's model builds from what infra/template.yaml gives it,
and a function whose environment lacks a variable (or has a malformed one) fails its init
with an error naming the variable, instead of failing a request later."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from infra.local.template import Template, load_template
from shared.settings import (
    ApiSettings,
    CursorSettings,
    FunctionSettings,
    Piece,
    PublicUrlSettings,
    SettingsError,
    get_settings,
    load,
)

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template(region=REGION, account_id="123456789012", stack_name="unit")


def placeholder(value: Any) -> str:
    """A variable's value with every reference replaced by a placeholder (as it resolves in
    AWS: a name, an ARN, a URL built by ``!Sub``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | bool):
        return str(value)
    (function, argument), *_ = value.items()
    if function == "Ref":
        return f"ref-{argument}"
    if function == "Fn::GetAtt":
        return "getatt-" + "-".join(argument)
    if function == "Fn::Sub":
        text = argument if isinstance(argument, str) else argument[0]
        return re.sub(r"\$\{([^}]+)\}", lambda m: m.group(1).replace(":", "").lower(), text)
    if function == "Fn::Join":
        separator, parts = argument
        joined = [placeholder(p) for p in (parts if isinstance(parts, list) else [parts])]
        return str(separator).join(joined)
    if function == "Fn::If":
        return placeholder(argument[2])  # the default: the parameter left empty
    raise AssertionError(f"no placeholder for {function}")


def environment_of(template: Template, logical_id: str) -> dict[str, str]:
    """The function's variables (Globals and its own) as Lambda sets them, AWS_REGION too."""
    properties = template.resources[logical_id]["Properties"]
    variables = properties.get("Environment", {}).get("Variables", {})
    return {"AWS_REGION": REGION} | {k: placeholder(v) for k, v in variables.items()}


def functions_of(template: Template) -> dict[str, str]:
    """Logical id -> handler of every function of the template."""
    return {
        logical_id: str(resource["Properties"]["Handler"])
        for logical_id, resource in template.resources.items()
        if resource["Type"] == "AWS::Lambda::Function"
    }


def model_of(handler: str) -> type[Piece]:
    package = handler.split(".")[1]
    handlers: dict[str, type[Piece]] = importlib.import_module(
        f"functions.{package}.settings"
    ).HANDLERS
    assert handler in handlers, f"functions/{package}/settings.py has no model for {handler}"
    return handlers[handler]


def test_every_function_builds_its_own_settings_from_the_template(template: Template) -> None:
    built = {}
    for logical_id, handler in functions_of(template).items():
        try:
            built[logical_id] = load(model_of(handler), environment_of(template, logical_id))
        except SettingsError as missing:
            pytest.fail(f"{logical_id}: {missing}")
    assert len(built) == 16
    badge = built["BadgeFunction"]
    assert isinstance(badge, PublicUrlSettings)
    assert isinstance(badge, CursorSettings)
    # without a custom domain: the stage's address, the API's id filled in per request
    assert badge.public_api_url == "https://{api-id}.execute-api.awsregion.amazonaws.com/stage"
    assert isinstance(built["DirectoryFunction"], CursorSettings)  # the directory's pages
    assert not isinstance(built["OutboxSweeperFunction"], ApiSettings)  # only what it needs


def test_a_function_model_missing_a_template_variable_is_named(template: Template) -> None:
    environment = environment_of(template, "BadgeFunction")
    del environment["CURSOR_KEY_SECRET"]
    with pytest.raises(SettingsError, match="CURSOR_KEY_SECRET"):
        load(model_of("functions.badge.handler.lambda_handler"), environment)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TABLE_NAME", ""),
        ("IDEMPOTENCY_TTL_SECONDS", "a day"),
        ("PUBLIC_API_URL", "api.example"),  # not a URL
        ("ALLOWED_ORIGINS", None),  # optional: no origin, no CORS
    ],
)
def test_each_malformed_variable_is_named(
    template: Template, variable: str, value: str | None
) -> None:
    environment = environment_of(template, "BadgeFunction")
    if value is None:
        del environment[variable]
        load(model_of("functions.badge.handler.lambda_handler"), environment)
        return
    environment[variable] = value
    with pytest.raises(SettingsError, match=variable):
        load(model_of("functions.badge.handler.lambda_handler"), environment)


def test_the_process_settings_come_from_the_environment_by_exact_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TABLE_NAME", "nqms-table")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://a.example, https://b.example")
    settings = load(ApiSettings)
    assert (settings.table_name, settings.region) == ("nqms-table", "eu-west-1")
    assert settings.allowed_origins == ("https://a.example", "https://b.example")
    monkeypatch.delenv("TABLE_NAME")
    monkeypatch.setenv("table_name", "lower case is another variable")
    with pytest.raises(SettingsError, match="TABLE_NAME"):
        load(FunctionSettings)


def _import_as_lambda(module: str, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Import a handler module as Lambda's init does, in a fresh interpreter."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = base | environment | {"AWS_LAMBDA_FUNCTION_NAME": "unit", "PYTHONPATH": str(ROOT)}
    return subprocess.run(  # noqa: S603 - our own interpreter, our own module
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("logical_id", "module", "variable"),
    [
        ("ReviewFunction", "functions.review.handler", "MAIL_FROM"),
        ("BadgeFunction", "functions.badge.handler", "PUBLIC_API_URL"),
        ("DirectoryFunction", "functions.directory.handler", "CURSOR_KEY_SECRET"),
    ],
)
def test_a_missing_variable_fails_the_function_init_naming_it(
    template: Template, logical_id: str, module: str, variable: str
) -> None:
    environment = environment_of(template, logical_id)
    del environment[variable]
    failed = _import_as_lambda(module, environment)
    assert failed.returncode != 0
    assert "SettingsError" in failed.stderr, failed.stderr[-2000:]
    assert variable in failed.stderr.splitlines()[-1]  # the error that ended the init


def test_a_complete_environment_inits_the_function(template: Template) -> None:
    started = _import_as_lambda(
        "functions.badge.handler", environment_of(template, "BadgeFunction")
    )
    assert started.returncode == 0, started.stderr[-2000:]


def test_badge_links_name_the_custom_domain_or_the_stage_the_request_came_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from functions.badge.replies import public_base

    stage = "https://{api-id}.execute-api.us-east-1.amazonaws.com/prod"
    monkeypatch.setenv("PUBLIC_API_URL", stage)
    get_settings.cache_clear()
    assert public_base("a1b2c3") == "https://a1b2c3.execute-api.us-east-1.amazonaws.com/prod"
    monkeypatch.setenv("PUBLIC_API_URL", "https://api.nqms.example.org/")
    get_settings.cache_clear()
    assert public_base("a1b2c3") == "https://api.nqms.example.org"
    get_settings.cache_clear()
