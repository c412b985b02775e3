"""Read infra/template.yaml the way a deployment does: decode, package, SAM-transform.

``load_template`` gives the plain CloudFormation template (after the SAM transform) with the
parameters and conditions evaluated. Resource properties stay unresolved: they refer to
physical ids that exist only once the resources are created (see :mod:`infra.local.resources`).
"""

from __future__ import annotations

import copy
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import decode
from samtranslator.translator.transform import transform

from infra.local.intrinsics import (
    evaluate_conditions,
    parameter_values,
    pseudo_parameters,
)

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "template.yaml"
#: What ``sam package`` would put in CodeUri: the local stack runs code from the checkout.
PACKAGED_CODE_URI = "s3://nqms-local-code/source.zip"
SERVERLESS_FUNCTION = "AWS::Serverless::Function"


class TemplateError(ValueError):
    """The template cannot be read or transformed."""


@dataclass(frozen=True)
class Template:
    """A transformed template plus the values its intrinsics resolve against."""

    resources: Mapping[str, Mapping[str, Any]]
    parameters: Mapping[str, Any]
    conditions: Mapping[str, bool]
    outputs: Mapping[str, Any] = field(default_factory=dict)
    mappings: Mapping[str, Any] = field(default_factory=dict)
    #: The SAM template before the transform (``Events`` of functions, for the record).
    source: Mapping[str, Any] = field(default_factory=dict)


class StaticPolicyLoader:
    """Managed-policy names to ARNs without asking IAM (SAM only needs them for roles)."""

    def load(self) -> dict[str, str]:
        return {}


def decode_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The template as plain JSON-like data (cfn-lint's decoder understands !Ref and friends)."""
    decoded, matches = decode(str(path))
    if decoded is None or matches:
        problems = "; ".join(str(m) for m in matches) or "empty template"
        raise TemplateError(f"cannot decode {path}: {problems}")
    plain: dict[str, Any] = json.loads(json.dumps(decoded))
    return plain


def package_code_uris(template: Mapping[str, Any]) -> dict[str, Any]:
    """Replace local ``CodeUri`` paths by an S3 URI, as ``sam package`` does before deploying."""
    packaged = copy.deepcopy(dict(template))
    function_globals = packaged.get("Globals", {}).get("Function", {})
    _package(function_globals)
    for resource in packaged.get("Resources", {}).values():
        if resource.get("Type") == SERVERLESS_FUNCTION:
            _package(resource.setdefault("Properties", {}))
    return packaged


def _package(properties: dict[str, Any]) -> None:
    code_uri = properties.get("CodeUri")
    if isinstance(code_uri, str) and not code_uri.startswith("s3://"):
        properties["CodeUri"] = PACKAGED_CODE_URI


def sam_transform(template: Mapping[str, Any], region: str) -> dict[str, Any]:
    """Run aws-sam-translator's transform with no AWS call. The transform takes seconds and
    every test process asks for the same template many times: the result is kept per process,
    by the template's content and the region, and each caller gets its own copy."""
    key = (json.dumps(template, sort_keys=True, default=repr), region)
    if key not in _TRANSFORMED:
        _TRANSFORMED[key] = _transform(template, region)
    return copy.deepcopy(_TRANSFORMED[key])


_TRANSFORMED: dict[tuple[str, str], dict[str, Any]] = {}


def _transform(template: Mapping[str, Any], region: str) -> dict[str, Any]:
    with _region_for_translator(region):
        try:
            transformed: dict[str, Any] = transform(
                copy.deepcopy(dict(template)), {}, StaticPolicyLoader()
            )
        except Exception as exc:  # the translator raises its own exception family
            raise TemplateError(f"SAM transform failed: {exc}") from exc
    return transformed


@contextmanager
def _region_for_translator(region: str) -> Iterator[None]:
    """The translator asks a boto3 session for the region; give it ours for the call."""
    previous = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous


def load_template(
    *,
    region: str,
    account_id: str,
    stack_name: str,
    overrides: Mapping[str, str] | None = None,
    path: Path = TEMPLATE_PATH,
) -> Template:
    """Decode, package and transform the template; evaluate parameters and conditions."""
    source = decode_template(path)
    transformed = sam_transform(package_code_uris(source), region)
    declared = transformed.get("Parameters", {})
    parameters = parameter_values(declared, {**local_secrets(declared), **(overrides or {})})
    parameters |= pseudo_parameters(region, account_id, stack_name)
    conditions = evaluate_conditions(transformed.get("Conditions", {}), parameters)
    resources = {
        logical_id: resource
        for logical_id, resource in transformed.get("Resources", {}).items()
        if _is_enabled(logical_id, resource, conditions)
    }
    return Template(
        resources=resources,
        parameters=parameters,
        conditions=conditions,
        outputs=transformed.get("Outputs", {}),
        mappings=transformed.get("Mappings", {}),
        source=source,
    )


def local_secrets(declared: Mapping[str, Any]) -> dict[str, str]:
    """A fresh random value for each secret a deployment must supply (NoEcho, no default).

    Nothing secret is committed, and nothing local needs to outlive the process (a cursor
    signed before a restart is refused with a 400, as after a key rotation).
    """
    return {
        name: secrets.token_urlsafe(48)
        for name, spec in declared.items()
        if isinstance(spec, Mapping)
        and str(spec.get("NoEcho")).lower() == "true"
        and "Default" not in spec
    }


def _is_enabled(
    logical_id: str, resource: Mapping[str, Any], conditions: Mapping[str, bool]
) -> bool:
    """A resource with a ``Condition`` exists only when that condition holds."""
    name = resource.get("Condition")
    if name is None:
        return True
    if name not in conditions:
        raise TemplateError(f"resource {logical_id} uses unknown condition {name}")
    return conditions[name]
