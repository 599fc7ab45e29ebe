"""ARCHITECTURE.md stays true: its areas, modules, layers and paths match the code."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TISC = ROOT / "tisc"
TEXT = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
# "- **register** (`services/register/`: `suppliers`, `rows`, ...; views ...)"
AREA = re.compile(r"^- \*\*(\w+)\*\* \(`services/(\w+)/`: ([^;]+);", re.MULTILINE)


def _modules(package: Path) -> set[str]:
    return {p.stem for p in package.glob("*.py") if p.stem != "__init__"}


def _areas() -> dict[str, set[str]]:
    areas = {}
    for name, folder, listed in AREA.findall(TEXT):
        assert name == folder, f"area {name} is described with the folder services/{folder}/"
        areas[folder] = set(re.findall(r"`(\w+)`", listed))
    return areas


def test_every_service_area_is_described_with_exactly_its_modules() -> None:
    packages = {p.name for p in (TISC / "services").iterdir() if (p / "__init__.py").exists()}
    areas = _areas()
    assert set(areas) == packages
    for area, listed in areas.items():
        assert listed == _modules(TISC / "services" / area), area


def test_services_keep_only_a_handful_of_top_level_modules() -> None:
    assert _modules(TISC / "services") == {"backups", "errors"}
    assert "`services/backups.py`" in TEXT and "`services/errors.py`" in TEXT


@pytest.mark.parametrize(
    "path",
    sorted(set(re.findall(r"`((?:services|views|web|rules|documents|demo|cli)/[\w/.]+)`", TEXT))),
)
def test_every_path_named_exists(path: str) -> None:
    target = TISC / path.split(".")[0].rstrip("/")
    assert target.is_dir() or target.with_suffix(".py").exists(), path


def test_the_layer_diagram_is_the_import_contract() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layers = config["importlinter:contract:layers"]["layers"]
    contract = [line.strip() for line in layers.split("\n")]
    diagram = re.search(r"## Layers\n\n```\n(.*?)```", TEXT, re.DOTALL)
    assert diagram is not None
    drawn = [
        " | ".join(re.findall(r"tisc\.\w+", line))
        for line in diagram.group(1).splitlines()
        if line.startswith("tisc.")
    ]
    assert drawn == [layer for layer in contract if layer]


def test_every_top_level_package_is_in_a_layer() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layered = set(re.findall(r"tisc\.(\w+)", config["importlinter:contract:layers"]["layers"]))
    top = {p.stem for p in TISC.glob("*.py") if p.stem != "__init__"}
    top |= {p.name for p in TISC.iterdir() if (p / "__init__.py").exists()}
    assert top == layered
