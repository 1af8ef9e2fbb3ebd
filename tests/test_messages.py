"""Every message exists once in the code.

A message written twice drifts apart: `make check` once printed copies of the
build's words ("The words of newsroom/build.py"), one with `en` where the
other had the source language. Every .py file under hooks/ and newsroom/
(bench.py aside) is parsed with `ast`: each string literal, f-string (its
values written as {}) and concatenation of them is a message template;
docstrings are not messages. No two templates of 40 characters or more
(and six words or more: addresses and patterns are not messages) may be the
same or nearly the same (95 % alike, by difflib).
"""

from __future__ import annotations

import ast
import difflib
import itertools

import sitebuild

SOURCES = sorted(
    path.relative_to(sitebuild.PROJECT).as_posix()
    for folder in ("hooks", "newsroom")
    for path in (sitebuild.PROJECT / folder).rglob("*.py")
    if path.name != "bench.py"  # the benchmark's own report, not the site's
)
SHORTEST = 40
ALIKE = 0.95


def _template(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _template(node.left), _template(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else "{}") + (right if right is not None else "{}")
    return None


def templates(name: str, source: str) -> list[tuple[str, str]]:
    """(template, "file:line") of every message written in a module."""
    tree = ast.parse(source)
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    skip = {id(node.body[0].value) for node in ast.walk(tree) if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        text = _template(node)
        if text is None:
            continue
        skip |= {id(inner) for inner in ast.walk(node)}  # its parts are not messages of their own
        words = text.replace("{}", "").strip()
        if len(words) >= SHORTEST and words.count(" ") >= 5:  # a sentence, not an address or a pattern
            found.append((text.strip(), f"{name}:{node.lineno}"))
    return found


def repeated(found: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(where, where else, the message) for each message written twice."""
    pairs = []
    for (first, where), (second, other) in itertools.combinations(found, 2):
        alike = difflib.SequenceMatcher(None, first, second, autojunk=False)
        if alike.real_quick_ratio() >= ALIKE and alike.quick_ratio() >= ALIKE and alike.ratio() >= ALIKE:
            pairs.append((where, other, first))
    return pairs


def test_no_message_is_written_twice() -> None:
    found = [entry for name in SOURCES for entry in templates(name, (sitebuild.PROJECT / name).read_text("utf-8"))]
    assert len(found) > 150  # the messages are found at all
    assert repeated(found) == []


def test_the_check_finds_a_copied_message() -> None:
    """What the check is for: the copies make check once had."""
    build = '''
def strings(lang, missing):
    raise PluginError(f"Can't build {lang}: data/strings/{lang}.yml has no translation for " + ", ".join(missing) + ". Add each key with its text in this language (see data/strings/en.yml).")
'''
    check = '''
def strings(code, missing, outcome):
    """Every language's UI string table has every key of the English one."""
    outcome.messages.append(f"Can't build {code}: data/strings/{code}.yml has no translation for " + ", ".join(missing) + f". Add each key with its text in this language (see data/strings/{SOURCE_LANG}.yml).")
    print(f"Can't build: data/languages.yml declares {', '.join(missing)}, but there is no docs/<code>/ folder for it.")

def folders(missing):
    print(f"Can't build: data/languages.yml declares {', '.join(missing)}, but there is no docs/<code>/ folder for it.")
'''
    found = templates("hooks/languages.py", build) + templates("newsroom/check.py", check)
    assert [(where, other) for where, other, _ in repeated(found)] == [
        ("hooks/languages.py:3", "newsroom/check.py:4"),
        ("newsroom/check.py:5", "newsroom/check.py:8"),
    ]


def test_different_messages_that_share_words_are_not_copies() -> None:
    source = '''
A = f"uses the YAML {kind} {char}{name}, which is not allowed. Write the value out in full instead."
B = "is a web address. Images must be stored with the site: put the image file in an images/ folder beside the page."
C = f"starts with {scheme}:, which is not allowed. Put the image file in an images/ folder beside the page."
'''
    assert repeated(templates("newsroom/x.py", source)) == []
