"""Instance parameters and command arguments, built the way the platform hands them to an integration."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from xsoar_local.integration import PARAM_TYPE_BOOLEAN, PARAM_TYPE_MULTI_SELECT, IntegrationSpec, UsageError

PARAMS_FILE_ENV = "XSOAR_PARAMS_FILE"


def parse_assignment(text: str) -> tuple[str, str]:
    """Split `name=value` (the value may itself contain `=`)."""
    name, separator, value = text.partition("=")
    if not separator or not name.strip():
        raise UsageError(f"expected name=value, got {text!r}")
    return name.strip(), value


def load_params_file(path: str | Path) -> dict[str, Any]:
    file = Path(path)
    try:
        loaded = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read params file {file}: {error.strerror}")
    except json.JSONDecodeError as error:
        raise UsageError(f"params file {file} is not valid JSON: {error}")
    if not isinstance(loaded, dict):
        raise UsageError(f"params file {file} must hold a JSON object, not {type(loaded).__name__}")
    return loaded


def params_file_from_env() -> str | None:
    return os.environ.get(PARAMS_FILE_ENV) or None


def command_line_params(spec: IntegrationSpec, params_file: str | None, assignments: Iterable[str]) -> dict[str, Any]:
    """The instance parameters a command line gives: --params-file (or $XSOAR_PARAMS_FILE), then --param name=value."""
    path = params_file or params_file_from_env()
    return build_params(spec, load_params_file(path) if path else None, [parse_assignment(text) for text in assignments])


def build_params(
    spec: IntegrationSpec,
    file_params: Mapping[str, Any] | None = None,
    assignments: Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Params file, then `name=value` overrides, then the YAML defaults for whatever is still missing."""
    params: dict[str, Any] = json.loads(json.dumps(dict(file_params or {})))  # deep copy: the caller's dict stays intact
    for name, value in assignments:
        _set_dotted(params, name, _typed_param_value(spec, name, value))
    for param in spec.params:
        if param.name not in params and param.default is not None:
            params[param.name] = _typed_default(param.type, param.default)
    return params


def build_args(spec: IntegrationSpec, command: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """The given arguments plus the YAML `defaultValue` of every argument left out, as the platform does."""
    args = dict(given)
    command_spec = spec.commands.get(command)
    if command_spec:
        for name, default in command_spec.argument_defaults.items():
            args.setdefault(name, default)
    return args


def _set_dotted(target: dict[str, Any], dotted_name: str, value: Any) -> None:
    *parents, leaf = dotted_name.split(".")
    for part in parents:
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    target[leaf] = value


def _typed_param_value(spec: IntegrationSpec, name: str, value: str) -> Any:
    param = spec.param(name)
    if param is None:
        return value
    if param.type == PARAM_TYPE_BOOLEAN and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if param.type == PARAM_TYPE_MULTI_SELECT:
        return _split_multi_select(value)
    return value


def _typed_default(param_type: int, default: Any) -> Any:
    if param_type == PARAM_TYPE_BOOLEAN:
        return default if isinstance(default, bool) else str(default).strip().lower() == "true"
    if param_type == PARAM_TYPE_MULTI_SELECT:
        return list(default) if isinstance(default, list) else _split_multi_select(str(default))
    # The platform stores every other parameter as text, even when the YAML spelled a number.
    return default if isinstance(default, str | dict | list) else str(default)


def _split_multi_select(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]
