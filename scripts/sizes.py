"""Size budget of the package: files over 300 lines, functions over 50.

Prints every file and function over its limit, largest first. Each one must
be on the allow-list (`scripts/sizes_allowlist.txt`) with a size it may not
grow past; an entry that is now within the limit, or gone, must be removed,
so the list only shrinks. Exit status 1 on any violation.

    python scripts/sizes.py            # report and check
    python scripts/sizes.py --write    # rewrite the allow-list (review it!)
"""

from __future__ import annotations

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lamina"
ALLOWLIST = ROOT / "scripts" / "sizes_allowlist.txt"
FILE_LIMIT = 300
FUNCTION_LIMIT = 50


def measure() -> dict[str, int]:
    """`{key: lines}` for every file and function over its limit."""
    over = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n") + 1
        if lines > FILE_LIMIT:
            over[rel] = lines
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_LIMIT:
                    over[f"{rel}::{node.name}@{node.lineno}"] = length
    return over


def _strip_line(key: str) -> str:
    # Function entries are matched without their line number, which moves
    # with every edit above them.
    return key.split("@", 1)[0]


def read_allowlist() -> dict[str, int]:
    allowed = {}
    if not ALLOWLIST.exists():
        return allowed
    for raw in ALLOWLIST.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            key, size = line.rsplit(None, 1)
            allowed[key] = int(size)
    return allowed


def check(over: dict[str, int], allowed: dict[str, int]) -> list[str]:
    problems = []
    seen = set()
    for key, size in over.items():
        short = _strip_line(key)
        seen.add(short)
        limit = allowed.get(short)
        if limit is None:
            problems.append(f"new over budget: {key} ({size} lines)")
        elif size > limit:
            problems.append(f"grew: {key} ({size} lines, allowed {limit})")
    for key in sorted(set(allowed) - seen):
        problems.append(f"within budget now, remove from allow-list: {key}")
    return problems


def main(argv: list[str]) -> int:
    over = measure()
    for key, size in sorted(over.items(), key=lambda kv: -kv[1]):
        print(f"{size:6d}  {key}")
    if "--write" in argv:
        body = "".join(
            f"{_strip_line(k)} {v}\n" for k, v in sorted(over.items())
        )
        ALLOWLIST.write_text(
            "# Files over 300 lines and functions over 50 that exist today,\n"
            "# with the size each may not grow past. Only ever remove lines.\n"
            + body,
            encoding="utf-8",
        )
        return 0
    problems = check(over, read_allowlist())
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
