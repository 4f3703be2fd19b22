"""What the runner needs to know about an integration: its code file and the YAML beside it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INTEGRATION = REPO_ROOT / "Packs" / "SentinelOne" / "Integrations" / "SentinelOne_V2" / "SentinelOne_V2.py"

# Commands the platform itself calls; they are never listed under `script.commands` in the YAML.
BUILT_IN_COMMANDS = ("test-module",)
# Commands the platform calls only when the YAML switches the matching capability on.
CAPABILITY_COMMANDS = {
    "isfetch": ("fetch-incidents",),
    "isfetchevents": ("fetch-events",),
    "isfetchcredentials": ("fetch-credentials",),
    "longRunning": ("long-running-execution",),
    "feed": ("fetch-indicators",),
    "ismappable": ("get-mapping-fields",),
    "isremotesyncin": ("get-remote-data", "get-modified-remote-data"),
    "isremotesyncout": ("update-remote-system",),
}

# Configuration parameter types the defaults logic treats specially.
PARAM_TYPE_BOOLEAN = 8
PARAM_TYPE_MULTI_SELECT = 16


class UsageError(Exception):
    """The caller asked for something the runner cannot do; the CLI exits with status 2."""


class IntegrationError(UsageError):
    """The integration's files are missing or its YAML cannot be used."""


@dataclass(frozen=True)
class ConfigParam:
    """One entry of the YAML `configuration` list."""

    name: str
    type: int
    default: Any = None  # None when the YAML gives no defaultvalue


@dataclass(frozen=True)
class CommandSpec:
    """One entry of `script.commands`: its name, the default value of each argument that has one, and the names of
    its required arguments."""

    name: str
    argument_defaults: dict[str, str] = field(default_factory=dict)
    polling: bool = False
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class IntegrationSpec:
    code_path: Path
    yml_path: Path
    brand: str
    params: tuple[ConfigParam, ...]
    commands: dict[str, CommandSpec]
    capabilities: frozenset[str]

    @property
    def valid_commands(self) -> list[str]:
        """Every command the platform could run on this integration, sorted."""
        names = set(self.commands) | set(BUILT_IN_COMMANDS)
        for capability in self.capabilities:
            names.update(CAPABILITY_COMMANDS.get(capability, ()))
        return sorted(names)

    def param(self, name: str) -> ConfigParam | None:
        return next((p for p in self.params if p.name == name), None)


@functools.lru_cache(maxsize=8)
def _parsed_yaml(path: str, modified_ns: int) -> Any:
    """The parsed YAML, cached per file version (the integration YAML is large; a run reads it once per command)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)


def load_integration(code_path: str | Path = DEFAULT_INTEGRATION) -> IntegrationSpec:
    """Read the integration at `code_path` (a .py file) and the .yml with the same stem beside it."""
    code = Path(code_path).resolve()
    yml = code.with_suffix(".yml")
    if not code.is_file():
        raise IntegrationError(f"integration code not found: {code}")
    if not yml.is_file():
        raise IntegrationError(f"integration YAML not found: {yml}")
    try:
        document = _parsed_yaml(str(yml), yml.stat().st_mtime_ns)
    except yaml.YAMLError as error:
        raise IntegrationError(f"cannot parse {yml}: {error}")
    if not isinstance(document, dict):
        raise IntegrationError(f"{yml} is not a YAML mapping")

    brand = str((document.get("commonfields") or {}).get("id") or document.get("name") or code.stem)
    params = tuple(
        ConfigParam(name=str(item["name"]), type=int(item.get("type") or 0), default=item.get("defaultvalue"))
        for item in document.get("configuration") or []
        if isinstance(item, dict) and item.get("name")
    )
    script = document.get("script") or {}
    commands: dict[str, CommandSpec] = {}
    for item in script.get("commands") or []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        defaults = {
            str(argument["name"]): _argument_default(argument["defaultValue"])
            for argument in item.get("arguments") or []
            if isinstance(argument, dict) and argument.get("name") and argument.get("defaultValue") not in (None, "")
        }
        required = tuple(
            str(argument["name"])
            for argument in item.get("arguments") or []
            if isinstance(argument, dict) and argument.get("name") and argument.get("required")
        )
        commands[str(item["name"])] = CommandSpec(
            name=str(item["name"]), argument_defaults=defaults, polling=bool(item.get("polling")), required=required
        )
    capabilities = frozenset(key for key in CAPABILITY_COMMANDS if script.get(key) is True)
    return IntegrationSpec(code_path=code, yml_path=yml, brand=brand, params=params, commands=commands, capabilities=capabilities)


def _argument_default(value: Any) -> str:
    # The platform hands every argument to the integration as a string; YAML may have parsed `50` or `true`.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
