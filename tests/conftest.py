"""Session-wide builds: each site is built once and shared by every test."""

from __future__ import annotations

from pathlib import Path

import pytest

import sitebuild


class SiteCache:
    """Builds a fixture once per (fixture, language, environment) per session."""

    def __init__(self, tmp_factory: pytest.TempPathFactory) -> None:
        self.tmp_factory = tmp_factory
        self.built: dict[tuple, sitebuild.Built] = {}

    def get(self, fixture: str | Path | None, lang: str = "en", **env: str) -> sitebuild.Built:
        key = (fixture, lang, tuple(sorted(env.items())))
        if key not in self.built:
            root = self.tmp_factory.mktemp(str(fixture or "project").replace("/", "-"))
            sitebuild.assemble(root, fixture)
            self.built[key] = sitebuild.build(root, lang, env)
        return self.built[key]


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> SiteCache:
    return SiteCache(tmp_path_factory)


@pytest.fixture(scope="session")
def site(sites: SiteCache) -> sitebuild.Built:
    """The real project, built once."""
    built = sites.get(None)
    assert built.ok, built.output
    return built


@pytest.fixture(scope="session")
def project() -> Path:
    return sitebuild.PROJECT
