"""The bench scripts run outside the test suite, so nothing else notices when code they import moves."""

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _waymark_imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "waymark":
            for alias in node.names:
                yield node.module, alias.name


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda path: path.name)
def test_every_name_a_bench_script_imports_from_waymark_exists(script):
    missing = []
    for module_name, name in _waymark_imports(script):
        module = importlib.import_module(module_name)
        if not hasattr(module, name) and importlib.util.find_spec(f"{module_name}.{name}") is None:
            missing.append(f"{module_name}.{name}")

    assert missing == []
