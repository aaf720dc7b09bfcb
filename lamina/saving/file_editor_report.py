"""What `KerasFileEditor` prints: the file's structure and its comparison
with a model (Keras's wording, as plain text)."""

from __future__ import annotations


def print_structure(tree: dict, metadata: dict, prefix: str) -> None:
    """Print `tree` as Keras's editor does: `> ` before the first entry,
    `├─ ` / `└─ ` before the others; objects with their saved name."""
    _print_level(tree, metadata, prefix, "", True)


def _print_level(tree, metadata, prefix, path, is_first) -> bool:
    for i, (key, value) in enumerate(tree.items()):
        inner = f"{path}/{key}"
        is_last = i == len(tree) - 1
        if is_first:
            connector, is_first = "> ", False
        else:
            connector = "└─ " if is_last else "├─ "
        if isinstance(value, dict):
            name = metadata.get(inner, {}).get("name")
            label = f" ('{name}')" if name is not None else ""
            print(f"{prefix}{connector}{key}{label}")
            deeper = prefix + ("    " if is_last else "│   ")
            is_first = _print_level(value, metadata, deeper, inner, is_first)
        else:
            print(
                f"{prefix}{connector}{key}: shape={value.shape}, "
                f"dtype={value.dtype}"
            )
    return is_first


def compare_trees(saved: dict, reference: dict) -> dict:
    """Print the differences between the file's tree and the model's
    (weights as shapes); returns Keras's `{"status", "error_count",
    "match_count"}`."""
    checked: set = set()
    errors, matches = _compare(
        saved, reference, "", "saved file", "reference model", checked
    )
    errors += _compare(
        reference, saved, "", "reference model", "saved file", checked
    )[0]
    print("─────────────────────")
    if errors == 0:
        print(
            "Comparison successful: saved file is compatible with the "
            "reference model"
        )
        print(f"    Found {matches} matching weight{_s(matches)}")
    else:
        print(
            f"Found {errors} error{_s(errors)}: saved file is not "
            "compatible with the reference model"
        )
    return {
        "status": "success" if errors == 0 else "error",
        "error_count": errors,
        "match_count": matches,
    }


def _compare(
    target, ref, path, target_name, ref_name, checked, errors=0, matches=0
) -> tuple:
    # Keras's counting: a nested object's call starts from the running
    # totals, which are then added to them again. Kept, so `error_count`
    # and `match_count` equal Keras's (`status` does not depend on it).
    for key, value in ref.items():
        inner = f"{path}/{key}"
        if inner in checked:
            continue
        if key not in target:
            errors += 1
            checked.add(inner)
            kind = "Object" if isinstance(value, dict) else "Weight"
            print(
                f"...{kind} {inner} present in {ref_name}, missing from "
                f"{target_name}"
            )
            if isinstance(value, dict):
                print(
                    f"    In {ref_name}, {inner} contains the following "
                    f"keys: {list(value.keys())}"
                )
        elif isinstance(value, dict):
            more = _compare(
                target[key],
                value,
                inner,
                target_name,
                ref_name,
                checked,
                errors,
                matches,
            )
            errors, matches = errors + more[0], matches + more[1]
        elif tuple(_shape(target[key])) != tuple(_shape(value)):
            errors += 1
            checked.add(inner)
            print(
                f"...Weight shape mismatch for {inner}\n"
                f"    In {ref_name}: shape={_shape(value)}\n"
                f"    In {target_name}: shape={_shape(target[key])}"
            )
        else:
            matches += 1
    return errors, matches


def _shape(value) -> tuple:
    return tuple(value) if isinstance(value, tuple) else tuple(value.shape)


def _s(count: int) -> str:
    return "" if count == 1 else "s"
