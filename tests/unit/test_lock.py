"""The lock files in requirements/ against pyproject.toml's ranges, offline.

`make lock` writes them (uv, every platform, Python 3.11 on, with hashes); `make run` and
`make test` install from them. These fail when pyproject.toml changes and the lock does not
follow: a dependency missing, a locked version outside its range, a pin without a hash.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
_HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}$")

# Where the lock must hold: Linux (gunicorn) and Windows (waitress) and macOS, Python 3.11 on
# (3.11.4 and 3.11.9 because some packages' newest releases need 3.11.5 or later).
PLATFORMS = {
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "macos": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
}
PYTHONS = ["3.11.4", "3.11.9", "3.12.8", "3.13.1", "3.14.0"]


def environments() -> list[dict[str, str]]:
    made = []
    for platform in PLATFORMS.values():
        for full in PYTHONS:
            environment = dict(default_environment())
            environment.update(platform)
            environment.update(
                python_full_version=full,
                python_version=".".join(full.split(".")[:2]),
                implementation_name="cpython",
                platform_python_implementation="CPython",
            )
            made.append(environment)
    return made


ENVIRONMENTS = environments()


@dataclass
class Pin:
    name: str
    version: Version
    marker: Marker | None
    hashes: list[str]
    line: str

    def applies(self, environment: dict[str, str]) -> bool:
        return self.marker is None or self.marker.evaluate(environment)


def read_lock(path: Path) -> list[Pin]:
    """The pins of a pip requirements file as `make lock` writes it; anything else fails."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        text = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        continued = text.endswith("\\")
        pending = " ".join(part for part in (pending, text.rstrip("\\").strip()) if part)
        if continued:
            continue
        if pending:
            logical.append(pending)
        pending = ""
    assert not pending, f"{path.name} ends in a continuation"
    pins = []
    for line in logical:
        assert not line.startswith("-"), f"{path.name}: an option, not a pin: {line}"
        requirement_text, *options = line.split(" --")
        options = [f"--{option.strip()}" for option in options]
        requirement = Requirement(requirement_text)
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", (
            f"{path.name}: not pinned with ==: {requirement_text}"
        )
        assert not requirement.url, f"{path.name}: a URL, not a pin: {requirement_text}"
        for option in options:
            assert _HASH.match(option), f"{path.name}: not a sha256 hash: {option}"
        pins.append(
            Pin(
                canonicalize_name(requirement.name),
                Version(specifiers[0].version),
                requirement.marker,
                options,
                requirement_text,
            )
        )
    return pins


def declared(extra: str | None) -> list[Requirement]:
    project = PYPROJECT["project"]
    texts = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(text) for text in texts]


# Each lock file and what it must satisfy: the runtime, and the runtime with each extra.
LOCKS = {"run.txt": [None], "dev.txt": [None, "dev"], "load.txt": [None, "load"]}


@pytest.fixture(scope="module", params=sorted(LOCKS))
def lock(request: pytest.FixtureRequest) -> tuple[str, list[Pin]]:
    return request.param, read_lock(REQUIREMENTS / request.param)


def test_every_pin_has_a_hash_and_the_project_is_not_locked(lock) -> None:
    name, pins = lock
    assert pins, f"{name} pins nothing"
    assert all(pin.hashes for pin in pins), [pin.line for pin in pins if not pin.hashes]
    assert "tisc" not in {pin.name for pin in pins}


def test_every_dependency_is_locked_within_its_range_on_every_platform(lock) -> None:
    name, pins = lock
    wanted = [requirement for extra in LOCKS[name] for requirement in declared(extra)]
    problems = []
    for requirement in wanted:
        key = canonicalize_name(requirement.name)
        if not any(pin.name == key for pin in pins):
            problems.append(f"{requirement} is not in {name}")
            continue
        for environment in ENVIRONMENTS:
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            where = f"{environment['sys_platform']} Python {environment['python_full_version']}"
            chosen = [pin for pin in pins if pin.name == key and pin.applies(environment)]
            if len(chosen) != 1:
                problems.append(f"{requirement}: {len(chosen)} pins in {name} on {where}")
            elif not requirement.specifier.contains(chosen[0].version, prereleases=True):
                problems.append(f"{requirement}: {name} locks {chosen[0].line} on {where}")
    assert problems == []


def test_no_package_is_pinned_twice_for_one_platform(lock) -> None:
    name, pins = lock
    problems = set()
    for environment in ENVIRONMENTS:
        seen: dict[str, Pin] = {}
        for pin in pins:
            if pin.applies(environment):
                if pin.name in seen:
                    problems.add(f"{name}: {seen[pin.name].line} and {pin.line}")
                seen[pin.name] = pin
    assert not problems


def test_the_dev_and_load_locks_keep_the_runtime_versions() -> None:
    run = read_lock(REQUIREMENTS / "run.txt")
    for other in ("dev.txt", "load.txt"):
        pins = read_lock(REQUIREMENTS / other)
        for environment in ENVIRONMENTS:
            theirs = {pin.name: pin.version for pin in pins if pin.applies(environment)}
            for pin in run:
                if pin.applies(environment):
                    assert theirs.get(pin.name) == pin.version, (other, pin.line)


def test_packaging_used_here_is_in_the_dev_lock() -> None:
    assert "packaging" in {pin.name for pin in read_lock(REQUIREMENTS / "dev.txt")}
    assert "packaging" in {canonicalize_name(r.name) for r in declared("dev")}


def test_the_makefile_installs_from_the_locks_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^PIP_LOCKED := .*pip install .*--require-hashes", makefile, re.M)
    for kind in ("run", "dev", "load"):
        rule = re.search(rf"^\$\(VENV\)/\.installed-{kind}: (.*)\n((?:\t.*\n)+)", makefile, re.M)
        assert rule, kind
        assert f"requirements/{kind}.txt" in rule.group(1).split()  # a new lock reinstalls
        recipe = rule.group(2)
        assert f"$(PIP_LOCKED) -r requirements/{kind}.txt" in recipe
        assert "--no-deps -e ." in recipe or "$(PIP_PROJECT)" in recipe
        assert "pip install --quiet -e" not in recipe  # not from the ranges


def test_the_lock_reader_catches_what_it_is_for(tmp_path: Path) -> None:
    """The checks above can fail: a pin without a hash, a range instead of a pin, an option."""
    good = "flask==3.1.3 \\\n    --hash=sha256:" + "a" * 64 + "\n"
    (tmp_path / "good.txt").write_text(good)
    assert [pin.line for pin in read_lock(tmp_path / "good.txt")] == ["flask==3.1.3"]
    for bad in ("flask==3.1.3 \\\n    --hash=md5:abc\n", "flask>=3.0\n", "-e .\n"):
        (tmp_path / "bad.txt").write_text(bad)
        with pytest.raises(AssertionError):
            read_lock(tmp_path / "bad.txt")
    (tmp_path / "bare.txt").write_text("flask==3.1.3\n")
    assert read_lock(tmp_path / "bare.txt")[0].hashes == []
