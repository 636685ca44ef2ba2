"""The documentation keeps up with the code (as sqlite-utils' test_docs): every CLI command
and option is in README.md, every setting's variable too, and docs/ARCHITECTURE.md names
every package and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from paths import ROOT

from search_api.cli.commands import main
from search_api.settings import ENVIRONMENT

README = (ROOT / "README.md").read_text("utf-8")
ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text("utf-8")
PACKAGE_ROOTS = ("ingest", "graph", "ontology", "search_api")


def long_options(command: click.Command) -> list[str]:
    return [
        opt
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--")
    ]


COMMANDS = sorted(main.commands.items())


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_and_option_is_in_the_readme(name: str, command: click.Command) -> None:
    assert f"cancu {name}" in README, f"README.md does not show `cancu {name}`"
    row = next((line for line in README.splitlines() if f"`cancu {name}" in line), "")
    missing = [opt for opt in long_options(command) if f"`{opt}" not in row]
    assert not missing, f"README.md's row for `cancu {name}` lacks {missing}"


def test_group_options_are_in_the_readme() -> None:
    for opt in long_options(main):
        assert f"[{opt} " in README or f"`{opt}`" in README, opt


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_help_works(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_every_setting_is_documented() -> None:
    for variable in ENVIRONMENT:
        assert f"`{variable}`" in README, f"README.md does not document {variable}"


def packages() -> list[str]:
    """Every directory with an __init__.py under the four top-level packages."""
    return sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in PACKAGE_ROOTS
        for init in (ROOT / top).rglob("__init__.py")
    )


def test_architecture_names_every_package() -> None:
    missing = [p for p in packages() if f"`{p.replace('.', '/')}/`" not in ARCHITECTURE]
    assert not missing, f"docs/ARCHITECTURE.md does not describe {missing}"


def test_architecture_names_only_modules_that_exist() -> None:
    named = set(re.findall(r"`((?:ingest|graph|ontology|search_api)/[\w/.]*)`", ARCHITECTURE))
    assert named
    missing = sorted(path for path in named if not (ROOT / Path(path)).exists())
    assert not missing, f"docs/ARCHITECTURE.md names modules that do not exist: {missing}"
