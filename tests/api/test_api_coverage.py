"""Every public Keras 3 name exists in lamina, or is on the reviewed
allow-list (`tests/api/allowlist.py`) with its reason.

Fails on a Keras name that lamina lacks and the list does not hold (a new
gap, or a new name when the pinned Keras moves), and on a stale entry
(a name lamina now has), so the list only shrinks. Regenerate the list
with `scripts/api_gap.py --write`.
"""

import re

import pytest

from tests.api.allowlist import ALLOWED
from tests.api.keras_namespaces import api_gap, keras_namespaces


@pytest.fixture(scope="module")
def gap():
    return set(api_gap())


def test_every_keras_name_is_in_lamina_or_allowed(gap):
    unexplained = sorted(gap - set(ALLOWED))
    assert not unexplained, (
        "Keras names missing from lamina and not on tests/api/allowlist.py "
        f"(add them, or allow-list them with a reason): {unexplained}"
    )


def test_allowlist_has_no_stale_entries(gap):
    stale = sorted(set(ALLOWED) - gap)
    assert not stale, (
        "lamina now has these allow-listed names; remove them from "
        f"tests/api/allowlist.py (scripts/api_gap.py --write): {stale}"
    )


def test_allowlist_entries_give_a_reason():
    pattern = re.compile(r"^(n/a: .{10,}|issue (14|15|16): .+)$")
    bad = {k: v for k, v in ALLOWED.items() if not pattern.match(v)}
    assert not bad, f"entries without an 'n/a: why' or 'issue N:' reason: {bad}"


def test_walk_covers_the_namespaces_the_issue_names():
    names = set(keras_namespaces())
    for ns in (
        "ops",
        "ops.image",
        "ops.linalg",
        "ops.nn",
        "ops.numpy",
        "utils",
        "config",
        "tree",
        "dtype_policies",
        "preprocessing",
        "applications",
        "quantizers",
        "distribution",
        "export",
        "wrappers",
        "visualization",
        "optimizers",
        "callbacks",
        "layers",
        "backend",
        "datasets",
    ):
        assert f"keras.{ns}" in names
