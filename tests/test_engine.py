"""The engine uses MkDocs, Material and its libraries only through public APIs.

Every .py file under hooks/ and newsroom/ is parsed with `ast` (never matched
as text) and fails on:

- reading a private attribute, `x._name`, of anything but `self`, `cls`, or
  our own modules and classes (`config._current_page`,
  `page._title_from_render`, `item._mkdocs_page_ref`,
  `mkdocs_build._build_page`), also through getattr/setattr/hasattr/delattr
  with a "_name", and importing a private name from a library;
- replacing anything of an imported library by assignment
  (`mkdocs_build._build_page = ...`, `Page.render = ...`), or with setattr.

Setting MkDocs configuration values in on_config, the documented hook API,
is allowed: the configuration is an argument, not an import. Dunder names
(`material.__file__`) are public.
"""

from __future__ import annotations

import ast

import pytest

import sitebuild

# Our own top-level packages and modules: what hooks/ and newsroom/ may
# reach into. A hook's siblings are imported by their file name.
OURS = {"newsroom", *(path.stem for path in (sitebuild.PROJECT / "hooks").glob("*.py"))}
SOURCES = sorted(path.relative_to(sitebuild.PROJECT).as_posix() for folder in ("hooks", "newsroom") for path in (sitebuild.PROJECT / folder).rglob("*.py"))
REFLECTION = {"getattr", "setattr", "hasattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _root(node: ast.AST) -> str | None:
    """The name an attribute chain starts from: `mkdocs_build` in
    `mkdocs_build.x.y`; None if it starts from a call, a subscript..."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def findings(source: str) -> list[str]:
    """Every private access and every replacement in one module's source."""
    tree = ast.parse(source)
    ours = {"self", "cls"}
    theirs: set[str] = set()
    found: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            ours.add(node.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                (ours if alias.name.split(".")[0] in OURS else theirs).add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            own = node.level > 0 or (node.module or "").split(".")[0] in OURS
            for alias in node.names:
                (ours if own else theirs).add(alias.asname or alias.name)
                if not own and _private(alias.name):
                    found.append(f"line {node.lineno}: imports the private name {alias.name} from {node.module}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ours):
                found.append(f"line {node.lineno}: {ast.unparse(node)} is a private attribute")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in REFLECTION and len(node.args) >= 2:
            target, name = node.args[0], node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and _private(name.value):
                if not (isinstance(target, ast.Name) and target.id in ours):
                    found.append(f'line {node.lineno}: {ast.unparse(node)} reaches the private attribute "{name.value}"')
            if node.func.id in ("setattr", "delattr") and _root(target) in theirs:
                found.append(f"line {node.lineno}: {ast.unparse(node)} changes the imported {_root(target)}")
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = list(node.targets)
        while any(isinstance(target, (ast.Tuple, ast.List, ast.Starred)) for target in targets):
            targets = [inner for target in targets for inner in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target.value] if isinstance(target, ast.Starred) else [target])]
        for target in targets:
            if isinstance(target, ast.Attribute) and _root(target) in theirs:
                found.append(f"line {node.lineno}: {ast.unparse(target)} = ... replaces part of the imported {_root(target)}")
    return sorted(set(found), key=lambda text: (int(text.split()[1].rstrip(":")), text))


@pytest.mark.parametrize("path", SOURCES)
def test_no_private_api_and_nothing_replaced(path: str) -> None:
    assert findings((sitebuild.PROJECT / path).read_text("utf-8")) == []


def test_the_check_finds_what_it_is_meant_to_find() -> None:
    """The check can fail: a sample with each forbidden pattern, every one found."""
    sample = '''
import mkdocs.commands.build as mkdocs_build
from mkdocs.structure.pages import Page
from material.plugins.blog.plugin import _private_helper

_SERIAL = mkdocs_build._build_page

def on_page_context(context, *, page, config, nav):
    config._current_page = page
    page._title_from_render = "x"
    for item in nav.items:
        print(item._mkdocs_page_ref)
    getattr(page, "_title_from_render")
    Page.render = lambda self, config, files: None
    mkdocs_build.build.__doc__ = "changed"
    setattr(Page, "render", None)
    return context
'''
    assert findings(sample) == [
        "line 4: imports the private name _private_helper from material.plugins.blog.plugin",
        "line 6: mkdocs_build._build_page is a private attribute",
        "line 9: config._current_page is a private attribute",
        "line 10: page._title_from_render is a private attribute",
        "line 12: item._mkdocs_page_ref is a private attribute",
        "line 13: getattr(page, '_title_from_render') reaches the private attribute \"_title_from_render\"",
        "line 14: Page.render = ... replaces part of the imported Page",
        "line 15: mkdocs_build.build.__doc__ = ... replaces part of the imported mkdocs_build",
        "line 16: setattr(Page, 'render', None) changes the imported Page",
    ]


def test_the_check_allows_what_is_public() -> None:
    """Our own private names, the configuration set in on_config, public
    dunders and a Jinja environment's documented attributes pass."""
    sample = '''
import material
from jinja2 import ChoiceLoader
from newsroom import build
from newsroom.cli import _IgnoreTags

MATERIAL = material.__file__


class Layout:
    def __init__(self):
        self._held = {}

    @classmethod
    def make(cls):
        return cls._held


def on_config(config, **_):
    config.theme["language"] = "en"
    config.extra_css = [*config.extra_css, "x.css"]
    build._private_helper(config)
    return config


def on_env(env, *, config, files):
    env.loader = ChoiceLoader([env.loader])
    return _IgnoreTags._private if Layout._held else env
'''
    assert findings(sample) == []
