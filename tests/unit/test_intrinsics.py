"""CloudFormation intrinsics as the local stack resolves them, against a made-up stack."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from infra.local.intrinsics import (
    IntrinsicError,
    Scope,
    dependencies,
    evaluate_conditions,
    parameter_values,
    pseudo_parameters,
    references,
    resolve,
)

REGION, ACCOUNT = "eu-west-1", "111122223333"
#: Physical ids and attributes of the "created" resources.
PHYSICAL = {"Table": "stack-Table", "Queue": "https://sqs.local/stack-Queue"}
ATTRIBUTES = {
    ("Table", "Arn"): f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/stack-Table",
    ("Table", "StreamArn"): f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/stack-Table/stream/1",
    ("Queue", "Arn"): f"arn:aws:sqs:{REGION}:{ACCOUNT}:stack-Queue",
}


def _ref(logical_id: str) -> Any:
    if logical_id not in PHYSICAL:
        raise IntrinsicError(f"no resource {logical_id}")
    return PHYSICAL[logical_id]


def _get_att(logical_id: str, attribute: str) -> Any:
    return ATTRIBUTES[(logical_id, attribute)]


def scope(**conditions: bool) -> Scope:
    parameters = {"Stage": "dev", "Origins": ["https://a.example", "https://b.example"]}
    return Scope(
        parameters=parameters | pseudo_parameters(REGION, ACCOUNT, "stack"),
        ref=_ref,
        get_att=_get_att,
        conditions=conditions,
        mappings={"Sizes": {"dev": {"Memory": 256}, "prod": {"Memory": 1024}}},
    )


# ---------------------------------------------------------------- Ref and Fn::GetAtt
def test_ref_gives_parameters_pseudo_parameters_and_physical_ids() -> None:
    value = {"a": {"Ref": "Stage"}, "b": {"Ref": "AWS::Region"}, "c": {"Ref": "Table"}}

    assert resolve(value, scope()) == {"a": "dev", "b": REGION, "c": "stack-Table"}


def test_ref_no_value_removes_the_key_or_the_list_item() -> None:
    value = {"keep": 1, "drop": {"Ref": "AWS::NoValue"}, "list": [1, {"Ref": "AWS::NoValue"}, 2]}

    assert resolve(value, scope()) == {"keep": 1, "list": [1, 2]}


def test_a_pseudo_parameter_that_is_not_emulated_is_named() -> None:
    with pytest.raises(IntrinsicError, match="unsupported pseudo parameter AWS::Unknown"):
        resolve({"Ref": "AWS::Unknown"}, scope())


def test_get_att_in_its_string_and_list_forms() -> None:
    short = resolve({"Fn::GetAtt": "Table.StreamArn"}, scope())
    long = resolve({"Fn::GetAtt": ["Table", "StreamArn"]}, scope())

    assert short == long == ATTRIBUTES[("Table", "StreamArn")]


def test_get_att_without_an_attribute_is_refused() -> None:
    with pytest.raises(IntrinsicError, match="Fn::GetAtt needs an attribute: 'Table'"):
        resolve({"Fn::GetAtt": "Table"}, scope())


# ---------------------------------------------------------------- Fn::Sub
def test_sub_string_form_fills_parameters_resources_attributes_and_keeps_escapes() -> None:
    text = "${AWS::StackName}-${Stage}/${Table}/${Table.Arn}/index/* ${!Literal}"

    assert resolve({"Fn::Sub": text}, scope()) == (
        f"stack-dev/stack-Table/{ATTRIBUTES[('Table', 'Arn')]}/index/* ${{Literal}}"
    )


def test_sub_list_form_prefers_its_own_variables_which_may_be_intrinsics() -> None:
    value = {"Fn::Sub": ["${Stage}:${Arn}", {"Stage": "own", "Arn": {"Fn::GetAtt": "Queue.Arn"}}]}

    assert resolve(value, scope()) == f"own:{ATTRIBUTES[('Queue', 'Arn')]}"


def test_sub_of_a_list_value_is_refused_with_the_variable_name() -> None:
    with pytest.raises(IntrinsicError, match="Fn::Sub variable Origins is not a string"):
        resolve({"Fn::Sub": "origins: ${Origins}"}, scope())


# ---------------------------------------------------------------- lists and strings
def test_join_select_and_split() -> None:
    assert resolve({"Fn::Join": [",", {"Ref": "Origins"}]}, scope()) == (
        "https://a.example,https://b.example"
    )
    assert resolve({"Fn::Select": [1, {"Ref": "Origins"}]}, scope()) == "https://b.example"
    assert resolve({"Fn::Select": ["0", {"Fn::Split": ["-", "a-b-c"]}]}, scope()) == "a"


def test_join_of_something_that_is_not_text_is_refused() -> None:
    with pytest.raises(IntrinsicError, match="Fn::Join item is not a string"):
        resolve({"Fn::Join": ["", ["a", {"nested": "map"}]]}, scope())


def test_find_in_map_and_base64() -> None:
    assert resolve({"Fn::FindInMap": ["Sizes", {"Ref": "Stage"}, "Memory"]}, scope()) == 256
    encoded = resolve({"Fn::Base64": {"Fn::Sub": "${Stage}"}}, scope())
    assert base64.b64decode(encoded) == b"dev"


def test_find_in_map_names_the_missing_entry() -> None:
    with pytest.raises(IntrinsicError, match=r"no Sizes\.test\.Memory"):
        resolve({"Fn::FindInMap": ["Sizes", "test", "Memory"]}, scope())


def test_an_unknown_intrinsic_function_is_named() -> None:
    with pytest.raises(IntrinsicError, match="unsupported intrinsic function Fn::Cidr"):
        resolve({"Fn::Cidr": ["10.0.0.0/16", 2, 8]}, scope())


# ---------------------------------------------------------------- conditions
def test_if_picks_a_branch_by_condition_and_may_drop_the_property() -> None:
    value = {"Subscription": {"Fn::If": ["HasEmail", ["on"], {"Ref": "AWS::NoValue"}]}}

    assert resolve(value, scope(HasEmail=True)) == {"Subscription": ["on"]}
    assert resolve(value, scope(HasEmail=False)) == {}


def test_if_with_an_undeclared_condition_is_refused() -> None:
    with pytest.raises(IntrinsicError, match="unknown condition Missing"):
        resolve({"Fn::If": ["Missing", 1, 2]}, scope())


def test_condition_functions() -> None:
    declared = {
        "IsDev": {"Fn::Equals": [{"Ref": "Stage"}, "dev"]},
        "IsProd": {"Fn::Not": [{"Condition": "IsDev"}]},
        "HasEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Email"}, ""]}]},
        "DevWithEmail": {"Fn::And": [{"Condition": "IsDev"}, {"Condition": "HasEmail"}]},
        "DevOrEmail": {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "HasEmail"}]},
        "SizeIsText": {"Fn::Equals": [{"Ref": "Size"}, "512"]},
    }
    parameters = {"Stage": "dev", "Email": "", "Size": 512}

    assert evaluate_conditions(declared, parameters) == {
        "IsDev": True,
        "IsProd": False,
        "HasEmail": False,
        "DevWithEmail": False,
        "DevOrEmail": False,
        "SizeIsText": True,  # parameters are strings to CloudFormation: 512 equals "512"
    }


def test_circular_conditions_are_named() -> None:
    declared = {"A": {"Fn::Not": [{"Condition": "B"}]}, "B": {"Fn::Not": [{"Condition": "A"}]}}

    with pytest.raises(IntrinsicError, match="circular condition A"):
        evaluate_conditions(declared, {})


def test_a_condition_must_be_a_boolean() -> None:
    with pytest.raises(IntrinsicError, match="condition Stage is not a boolean: 'dev'"):
        evaluate_conditions({"Stage": {"Ref": "Stage"}}, {"Stage": "dev"})


def test_a_condition_operand_must_be_a_boolean() -> None:
    with pytest.raises(IntrinsicError, match="condition operand is not a boolean: 'dev'"):
        evaluate_conditions({"X": {"Fn::Not": [{"Ref": "Stage"}]}}, {"Stage": "dev"})


def test_conditions_cannot_refer_to_resources() -> None:
    declared = {"HasTable": {"Fn::Equals": [{"Ref": "Table"}, "x"]}}

    with pytest.raises(IntrinsicError, match=r"conditions cannot refer to resources \(Table\)"):
        evaluate_conditions(declared, {})


# ---------------------------------------------------------------- parameters
def test_parameters_take_the_override_then_the_default_and_split_lists() -> None:
    declared = {
        "Stage": {"Type": "String", "Default": "prod"},
        "Origins": {"Type": "CommaDelimitedList", "Default": "https://a.example"},
        "Email": {"Type": "String", "Default": ""},
    }

    values = parameter_values(declared, {"Stage": "dev", "Origins": "https://a, https://b"})

    assert values == {"Stage": "dev", "Origins": ["https://a", "https://b"], "Email": ""}


def test_an_unknown_override_is_refused_by_name() -> None:
    with pytest.raises(IntrinsicError, match="unknown template parameters: Stag"):
        parameter_values({"Stage": {"Default": "prod"}}, {"Stag": "dev"})


def test_a_parameter_without_default_needs_a_value() -> None:
    with pytest.raises(IntrinsicError, match="parameter Secret has no default"):
        parameter_values({"Secret": {"Type": "String"}})


# ---------------------------------------------------------------- creation order
def test_references_through_ref_get_att_and_sub_but_not_sub_variables() -> None:
    properties = {
        "A": {"Ref": "Table"},
        "B": {"Fn::GetAtt": ["Queue", "Arn"]},
        "C": {"Fn::GetAtt": "Bus.Arn"},
        "D": {"Fn::Sub": "${Pool.Arn}/${Stage} ${!NotARef}"},
        "E": {"Fn::Sub": ["${Own}-${Role}", {"Own": {"Ref": "Api"}}]},
    }

    assert references(properties) == {"Table", "Queue", "Bus", "Pool", "Stage", "Role", "Api"}


def test_dependencies_keep_resources_only_and_add_depends_on() -> None:
    resources: dict[str, Any] = {
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"Name": {"Ref": "Stage"}}},
        "Queue": {"Type": "AWS::SQS::Queue", "DependsOn": "Table"},
        "Function": {
            "Type": "AWS::Lambda::Function",
            "DependsOn": ["Queue"],
            "Properties": {
                "Env": {"T": {"Ref": "Table"}, "Self": {"Fn::GetAtt": "Function.Arn"}},
            },
        },
    }

    assert dependencies(resources) == {
        "Table": set(),  # Stage is a parameter, not a resource
        "Queue": {"Table"},
        "Function": {"Queue", "Table"},  # a reference to itself is no dependency
    }
