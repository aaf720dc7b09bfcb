"""Every public signature in the package is annotated.

A public function is a module-level function or a method of a class whose
names (module path, class, function) have no leading underscore; `__init__`
and `__call__` of a public class count as public too. Each of its parameters
other than `self` / `cls` needs an annotation, and so does its return value
(except `__init__`). Nested functions and private names are not checked.
Prints each unannotated signature. A file on the allow-list
(`scripts/annotations_allowlist.txt`: files over the size budget, where the
longer signatures would push the file further over, and files being
rewritten) may lack annotations; an entry whose file is now complete must
be removed, so the list only shrinks. Exit status 1 on any violation.

    python scripts/annotations.py            # the whole package
    python scripts/annotations.py lamina/layers
"""

from __future__ import annotations

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALLOWLIST = ROOT / "scripts" / "annotations_allowlist.txt"
PUBLIC_DUNDERS = {"__init__", "__call__"}


def _is_public(name: str) -> bool:
    return not name.startswith("_") or name in PUBLIC_DUNDERS


def _missing(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Names of the parameters (and `return`) without an annotation."""
    args = function.args
    positional = args.posonlyargs + args.args
    decorators = {getattr(d, "id", None) for d in function.decorator_list}
    skip_first = "staticmethod" not in decorators
    params = positional[1:] if skip_first and positional else positional
    params = params + args.kwonlyargs
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    missing = [a.arg for a in params if a.annotation is None]
    if function.returns is None and function.name != "__init__":
        missing.append("return")
    return missing


def _functions(tree: ast.Module):
    """(qualified name, node, is_method) of the public functions."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if _is_public(node.name):
                yield node.name, node, False
        elif isinstance(node, ast.ClassDef) and _is_public(node.name):
            for item in node.body:
                if isinstance(
                    item, (ast.FunctionDef, ast.AsyncFunctionDef)
                ) and _is_public(item.name):
                    yield f"{node.name}.{item.name}", item, True


def check(paths: list[pathlib.Path]) -> list[str]:
    """One line per public signature that lacks an annotation."""
    problems = []
    for base in paths:
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in files:
            rel = path.resolve().relative_to(ROOT)
            if any(p.startswith("_") and p != "__init__.py" for p in rel.parts):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for name, node, is_method in _functions(tree):
                if not is_method:
                    node = _as_function(node)
                missing = _missing(node)
                if missing:
                    problems.append(
                        f"{rel}:{node.lineno}: {name} ({', '.join(missing)})"
                    )
    return problems


def _as_function(node: ast.FunctionDef) -> ast.FunctionDef:
    """A module-level function has no `self` to skip: mark it static."""
    static = ast.Name(id="staticmethod", ctx=ast.Load())
    return ast.FunctionDef(
        name=node.name,
        args=node.args,
        body=node.body,
        decorator_list=[*node.decorator_list, static],
        returns=node.returns,
        type_comment=None,
        lineno=node.lineno,
    )


def _allowed() -> set[str]:
    lines = ALLOWLIST.read_text(encoding="utf-8").splitlines()
    return {s.strip() for s in lines if s.strip() and not s.startswith("#")}


def main() -> int:
    paths = [pathlib.Path(a) for a in sys.argv[1:]] or [ROOT / "lamina"]
    problems = check(paths)
    allowed = _allowed()
    failing = {line.split(":", 1)[0] for line in problems}
    bad = [line for line in problems if line.split(":", 1)[0] not in allowed]
    for line in bad:
        print(line)
    # Only a whole-package run can tell that an entry is stale.
    stale = sorted(allowed - failing) if not sys.argv[1:] else []
    for rel in stale:
        print(f"{rel}: annotated (or gone): remove it from {ALLOWLIST.name}")
    if bad:
        print(f"{len(bad)} public signatures lack annotations.")
    return 1 if bad or stale else 0


if __name__ == "__main__":
    sys.exit(main())
