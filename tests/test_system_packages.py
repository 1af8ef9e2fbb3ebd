"""`make test` sets itself up (.ci/system-packages), run for real.

The script runs first in `make test`. As root it installs what is missing
with apt-get; as anyone else it prints the one `sudo apt-get install` line
and stops. Here it runs as the user `nobody` (setpriv), so it can never
install anything: once on this machine, where `make test` has just installed
everything, and once on a PATH that holds only the tools the script itself
uses, so Java, Node.js, npm and newsboat are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import sitebuild

SCRIPT = sitebuild.PROJECT / ".ci" / "system-packages"
# util-linux's setpriv, in every Debian: the script runs as the user nobody.
NOBODY = [shutil.which("setpriv") or "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def as_nobody(path: str) -> subprocess.CompletedProcess:
    env = {"PATH": path, "LANG": "C.UTF-8"}
    return subprocess.run([*NOBODY, str(SCRIPT)], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)


@pytest.fixture
def bare_path() -> Iterator[str]:
    """A folder `nobody` may read, holding only what the script runs."""
    with tempfile.TemporaryDirectory(prefix="newsroom-bare-path-") as folder:
        os.chmod(folder, 0o755)
        for tool in ("bash", "id", "grep", "dpkg-query"):
            found = shutil.which(tool)
            assert found, f"{tool} is not installed"
            os.symlink(found, Path(folder) / tool)
        yield folder


def test_with_everything_installed_it_says_nothing_and_succeeds() -> None:
    done = as_nobody(os.environ["PATH"])
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_someone_who_is_not_root_gets_the_one_line_to_run(bare_path: str) -> None:
    done = as_nobody(bare_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "make test needs Debian packages that are missing: default-jre-headless nodejs npm newsboat.",
        "Install them with this line, then run make test again:",
        "  sudo apt-get install --no-install-recommends default-jre-headless nodejs npm newsboat",
    ]


def test_make_test_runs_it_first_and_ci_only_runs_make_test() -> None:
    # As if typed, even when the suite itself runs under `make test`.
    outside = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(["make", "--no-print-directory", "-n", "test"], cwd=sitebuild.PROJECT, env=outside, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    commands = done.stdout.splitlines()
    assert commands[0].endswith(".ci/system-packages")
    assert commands[-1].endswith("pytest -q")
    ci_run = [line for line in (sitebuild.PROJECT / ".ci" / "run").read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]
    assert ci_run[-1] == "make test"
    assert not any("apt-get" in line for line in ci_run)
