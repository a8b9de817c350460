"""The order of the apps (.importlinter, docs/architecture.md): no app imports from a layer above it. The contract
is import-linter's; this runs it as `make test` does, so a new upward import fails the suite."""
import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_only_from_the_layers_below_them():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    # An ignored import is an upward import the contract stops checking: none is kept (the WSGI entry point's
    # start-up check goes through Django's check registry instead of importing accounts).
    assert "ignore_imports" not in (ROOT / ".importlinter").read_text(encoding="utf-8")
    assert "ignored" not in result.stdout, result.stdout[-2000:]


def test_no_module_uses_djangos_private_query_internals():
    """Issue 29: plain ORM only. Django's compiler, query internals and related populators stay Django's."""
    forbidden = ("get_compiler(", "get_related_populators", "query.get_compiler", "compiler.as_sql",
                 "from django.db.models.sql", "RelatedPopulator")
    offenders = []
    for path in ROOT.rglob("*.py"):
        if any(part in {".venv", ".venv-bench", "tests", "node_modules"} for part in path.relative_to(ROOT).parts):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}: {needle}" for needle in forbidden if needle in text]
    assert not offenders, offenders


# Issue 29: markup lives in templates; Python hands them data. A string that opens an HTML or SVG tag, or
# Django's helpers that mark Python-built strings as safe markup, are not allowed in the portal's modules.
MARKUP_HELPERS = {"mark_safe", "format_html", "format_html_join", "SafeString", "SafeText", "html_safe"}
# an opening, closing or self-closing tag (<td>, </a>, <br/>, <a href=...); not a regex group (?P<name>) nor a
# URL converter (<int:pk>)
TAG = re.compile(r"(?<!\?P)<\s*/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|(?<!\?P)<\s*[A-Za-z][A-Za-z0-9-]*\s+[A-Za-z-]+=")


def _portal_modules(root: Path):
    """The Python modules of the apps (a folder with apps.py) and of ot24portal: not tests, bench, migrations."""
    packages = [root / "ot24portal"] + sorted(p.parent for p in root.glob("*/apps.py"))
    for package in packages:
        for path in package.rglob("*.py"):
            if not {"migrations", "tests", "bench", ".venv", "node_modules"} & set(path.relative_to(root).parts):
                yield path


def _docstrings(tree) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def markup_built_in_python(root: Path) -> list[str]:
    offenders = []
    for path in _portal_modules(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        docstrings = _docstrings(tree)
        where = lambda node: f"{path.relative_to(root)}:{node.lineno}"  # noqa: E731
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if TAG.search(node.value):
                    offenders.append(f"{where(node)}: markup in a string {node.value[:40]!r}")
            elif isinstance(node, ast.Name) and node.id in MARKUP_HELPERS:
                offenders.append(f"{where(node)}: {node.id}")
            elif isinstance(node, ast.Attribute) and node.attr in MARKUP_HELPERS:
                offenders.append(f"{where(node)}: {node.attr}")
            elif isinstance(node, ast.ImportFrom):
                offenders += [f"{where(node)}: imports {a.name}" for a in node.names if a.name in MARKUP_HELPERS]
    return offenders


def test_no_module_builds_markup_in_python():
    """Pages, fragments, charts and messages with links are Django templates; a module that returns HTML or SVG
    built from strings (or wraps it with mark_safe/format_html) fails here."""
    offenders = markup_built_in_python(ROOT)
    assert not offenders, "\n".join(offenders)


def imports_of_library_internals(root: Path) -> list[str]:
    """Imports of a third-party package's internal or private modules (allauth.*.internal, a _name module) in the
    portal's modules, the tests and the bench."""
    ours = {p.parent.name for p in root.glob("*/apps.py")} | {"ot24portal", "tests", "bench", "deploy", "scripts"}
    offenders = []
    for path in root.rglob("*.py"):
        if {".venv", ".venv-bench", "node_modules", "build"} & set(path.relative_to(root).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] not in ours and ("internal" in parts[1:] or any(p.startswith("_") for p in parts[1:])):
                    offenders.append(f"{path.relative_to(root)}:{node.lineno}: {name}")
    return offenders


def test_no_module_imports_a_librarys_internals():
    """Libraries through their public modules only: allauth's `internal` packages change without notice between
    releases (the demo authenticator goes through allauth.mfa.utils.encrypt, codes through pyotp)."""
    offenders = imports_of_library_internals(ROOT)
    assert not offenders, "\n".join(offenders)
