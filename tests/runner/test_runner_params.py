"""Instance parameters, command arguments and the integration YAML, as the platform prepares them."""

import json
from pathlib import Path

import pytest

from xsoar_local.instance_params import build_args, build_params, load_params_file, params_file_from_env, parse_assignment
from xsoar_local.integration import DEFAULT_INTEGRATION, IntegrationError, UsageError, load_integration

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def basic_spec():
    return load_integration(FIXTURES / "basic_integration.py")


def test_yaml_gives_brand_params_commands_and_argument_defaults(basic_spec):
    assert basic_spec.brand == "FakeBasic"
    assert basic_spec.yml_path == (FIXTURES / "basic_integration.yml").resolve()
    assert [(p.name, p.type, p.default) for p in basic_spec.params] == [
        ("url", 0, None),
        ("credentials", 9, None),
        ("insecure", 8, "false"),
        ("proxy", 8, None),
        ("max_fetch", 0, 10),
        ("statuses", 16, "new,in_progress"),
    ]
    assert basic_spec.commands["fake-echo"].argument_defaults == {"page_size": "50", "verbose": "true"}
    assert basic_spec.commands["fake-list-items"].argument_defaults == {"limit": "2"}


def test_valid_commands_add_test_module_and_the_capability_commands():
    assert load_integration(FIXTURES / "basic_integration.py").valid_commands == [
        "fake-count",
        "fake-crash",
        "fake-echo",
        "fake-list-items",
        "fake-noisy",
        "fake-note-and-warning",
        "fake-versioned-count",
        "test-module",
    ]
    assert load_integration(FIXTURES / "mirror_integration.py").valid_commands == [
        "get-mapping-fields",
        "get-modified-remote-data",
        "get-remote-data",
        "test-module",
        "update-remote-system",
    ]
    assert "fetch-incidents" in load_integration(FIXTURES / "fetch_integration.py").valid_commands


def test_missing_integration_files_are_usage_errors(tmp_path):
    with pytest.raises(IntegrationError, match="integration code not found"):
        load_integration(tmp_path / "nothing.py")
    (tmp_path / "lonely.py").write_text("")
    with pytest.raises(IntegrationError, match=r"integration YAML not found: .*lonely\.yml"):
        load_integration(tmp_path / "lonely.py")
    assert issubclass(IntegrationError, UsageError)


def test_default_integration_is_the_sentinelone_pack():
    assert DEFAULT_INTEGRATION.parts[-4:] == ("SentinelOne", "Integrations", "SentinelOne_V2", "SentinelOne_V2.py")


def test_yaml_defaults_fill_missing_params_with_platform_types(basic_spec):
    assert build_params(basic_spec, {"url": "http://x"}) == {
        "url": "http://x",
        "insecure": False,
        "max_fetch": "10",
        "statuses": ["new", "in_progress"],
    }


def test_param_assignments_override_the_file_nest_dotted_names_and_type_booleans(basic_spec):
    credentials = {"identifier": "u", "password": "old"}
    file_params = {"url": "http://file", "insecure": True, "credentials": credentials}
    params = build_params(
        basic_spec,
        file_params,
        [
            ("url", "http://flag"),
            ("credentials.password", "tok"),
            ("insecure", "FALSE"),
            ("proxy", "true"),
            ("statuses", "resolved, new"),
            ("extra.deep.name", "v"),
            ("max_fetch", "true"),
        ],
    )
    assert params == {
        "url": "http://flag",
        "insecure": False,
        "proxy": True,
        "credentials": {"identifier": "u", "password": "tok"},
        "statuses": ["resolved", "new"],
        "extra": {"deep": {"name": "v"}},
        "max_fetch": "true",  # a text param keeps the text
    }
    assert credentials["password"] == "old"  # the caller's dict is not modified


def test_a_boolean_param_with_another_value_keeps_the_text(basic_spec):
    assert build_params(basic_spec, {}, [("proxy", "maybe")])["proxy"] == "maybe"


def test_build_args_fills_only_missing_arguments_with_defaults(basic_spec):
    assert build_args(basic_spec, "fake-echo", {"page_size": "5", "query": "q"}) == {
        "page_size": "5",
        "query": "q",
        "verbose": "true",
    }
    assert build_args(basic_spec, "test-module", {"a": "1"}) == {"a": "1"}


@pytest.mark.parametrize(("text", "pair"), [("a=1", ("a", "1")), ("q=x=y", ("q", "x=y")), (" k =", ("k", ""))])
def test_parse_assignment(text, pair):
    assert parse_assignment(text) == pair


@pytest.mark.parametrize("text", ["novalue", "=v", ""])
def test_parse_assignment_rejects_text_without_a_name(text):
    with pytest.raises(UsageError, match="expected name=value"):
        parse_assignment(text)


def test_load_params_file(tmp_path):
    good = tmp_path / "p.json"
    good.write_text(json.dumps({"url": "u"}))
    assert load_params_file(good) == {"url": "u"}
    (tmp_path / "list.json").write_text("[1]")
    with pytest.raises(UsageError, match="must hold a JSON object, not list"):
        load_params_file(tmp_path / "list.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(UsageError, match="is not valid JSON"):
        load_params_file(tmp_path / "bad.json")
    with pytest.raises(UsageError, match="cannot read params file"):
        load_params_file(tmp_path / "missing.json")


def test_params_file_from_env(monkeypatch):
    monkeypatch.delenv("XSOAR_PARAMS_FILE", raising=False)
    assert params_file_from_env() is None
    monkeypatch.setenv("XSOAR_PARAMS_FILE", "/tmp/p.json")
    assert params_file_from_env() == "/tmp/p.json"
