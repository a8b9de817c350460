"""The order of the apps (.importlinter, docs/architecture.md): no app imports from a layer above it. The contract
is import-linter's; this runs it as `make test` does, so a new upward import fails the suite."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_only_from_the_layers_below_them():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


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
