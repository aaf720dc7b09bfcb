"""Print the Keras 3 names lamina lacks; optionally rewrite the allow-list.

    .venv/bin/python scripts/api_gap.py           # the gap, one name a line
    .venv/bin/python scripts/api_gap.py --write   # regenerate tests/api/allowlist.py

`--write` keeps the reason of every entry still in the gap, drops entries
lamina now has, and gives each new gap entry the issue that covers it
(guessed from its namespace; review before committing).
"""

from __future__ import annotations

import os
import pprint
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.api.keras_namespaces import api_gap

ALLOWLIST = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    "tests",
    "api",
    "allowlist.py",
)

# Namespace prefix → the open issue that covers its missing names.
_ISSUE_BY_PREFIX = [
    ("keras.layers.", "issue 15"),  # most missing layers are preprocessing
    ("keras.ops", "issue 14"),
    ("keras.utils", "issue 14"),
    ("keras.config", "issue 14"),
    ("keras.backend", "issue 14"),
    ("keras.tree", "issue 14"),
    ("keras.dtype_policies", "issue 14"),
    ("keras.preprocessing", "issue 14"),
    ("keras.", "issue 16"),
]


def proposed_reason(name: str) -> str:
    for prefix, issue in _ISSUE_BY_PREFIX:
        if name.startswith(prefix):
            return f"{issue}: not yet implemented"
    return "issue 16: not yet implemented"


def main() -> None:
    gap = api_gap()
    if "--write" not in sys.argv:
        print("\n".join(gap))
        print(f"# {len(gap)} Keras names missing from lamina", file=sys.stderr)
        return
    from tests.api.allowlist import ALLOWED

    entries = {name: ALLOWED.get(name) or proposed_reason(name) for name in gap}
    with open(ALLOWLIST) as f:
        header = f.read().split("ALLOWED = ")[0]
    with open(ALLOWLIST, "w") as f:
        f.write(header + "ALLOWED = " + pprint.pformat(entries, width=79))
        f.write("\n")
    print(f"wrote {len(entries)} entries to {ALLOWLIST}")


if __name__ == "__main__":
    main()
