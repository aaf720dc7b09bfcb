"""Compare a lamina callable's signature with Keras's: parameter names,
order, kinds and defaults (annotations are ours to add)."""

import inspect


def params(fn) -> list:
    return [
        (p.name, p.kind, p.default)
        for p in inspect.signature(fn).parameters.values()
    ]


def assert_same_signature(ours, theirs) -> None:
    assert params(ours) == params(theirs), (
        f"{getattr(ours, '__qualname__', ours)}: {params(ours)} != "
        f"Keras's {params(theirs)}"
    )
