"""tools/offline_validation_config.toml: demisto-sdk's full validator set minus the network and graph validators."""

from __future__ import annotations

from pathlib import Path

import tomllib

from tools import make_offline_validation_config as generator

CONFIG_PATH = Path(__file__).resolve().parents[2] / "tools" / "offline_validation_config.toml"
CONFIG = tomllib.loads(CONFIG_PATH.read_text(encoding="utf-8"))


def test_committed_config_selects_no_validator_that_needs_the_network():
    for section in ("path_based_validations", "use_git"):
        for key in ("select", "warning"):
            offline = [code for code in CONFIG[section][key] if generator.needs_network(code)]
            assert offline == [], f"{section}.{key}"


def test_committed_config_keeps_the_full_offline_set():
    # demisto-sdk 1.39.13: 195 path-based and 284 git-based validators, of which 13 and 28 need the network or graph.
    assert len(CONFIG["path_based_validations"]["select"]) == 182
    assert len(CONFIG["use_git"]["select"]) == 256
    for code in ("ST110", "IN100", "DO100", "PA103", "RM115", "IF113"):
        assert code in CONFIG["use_git"]["select"], code
    assert "BA108" in CONFIG["ignorable_errors"] and "BA109" in CONFIG["ignorable_errors"]
    assert "IN126" in CONFIG["support_level"]["community"]["ignore"]


def test_network_validators_are_graph_validators_and_the_probed_list():
    assert generator.needs_network("GR100") and generator.needs_network("GR118")
    assert generator.needs_network("DO103") and generator.needs_network("RN107")
    assert not generator.needs_network("DO100")  # checks the tag text only; it caught ":latest" offline
    assert not generator.needs_network("ST110")


def test_filter_keeps_the_shape_and_drops_only_network_codes_from_select_and_warning():
    source: generator.TomlTable = {
        "ignorable_errors": ["GR103", "BA108"],
        "path_based_validations": {"select": ["BA100", "GR100", "DO103"], "warning": ["PB131", "RM108"]},
        "support_level": {"community": {"ignore": ["IN126"]}},
        "Custom_Categories": {"select": [], "warning": []},
    }
    assert generator.without_network_validators(source) == {
        "ignorable_errors": ["GR103", "BA108"],
        "path_based_validations": {"select": ["BA100"], "warning": ["RM108"]},
        "support_level": {"community": {"ignore": ["IN126"]}},
        "Custom_Categories": {"select": [], "warning": []},
    }


def test_rendered_toml_reads_back_as_the_same_config():
    config: generator.TomlTable = {
        "ignorable_errors": ["BA101", "BA106"],
        "Custom_Categories": {"select": [], "warning": []},
        "support_level": {"community": {"ignore": ["IN126"]}, "partner": {"ignore": ["CJ100"]}},
        "use_git": {"select": ["BA100"], "warning": ["RN116"]},
    }
    assert tomllib.loads(generator.render_toml(config)) == config
