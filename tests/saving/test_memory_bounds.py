"""Small hostile files may not make the loader allocate far more than
the model they describe holds (issue 19). Each case runs in one child
process whose peak resident memory is reset before the case
(`/proc/self/clear_refs`) and read after it (`VmHWM`)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

BOUND_MB = 200

_CHILD = textwrap.dedent(r'''
    import io, json, os, sys, tempfile, zipfile, zlib, warnings
    import h5py, numpy as np
    import lamina
    from lamina.saving import archive_checks

    # Only the reading order is under test here, not the ratio limit of
    # `archive_checks` (which would refuse these datasets on its own).
    archive_checks.MAX_RATIO = 10 ** 9
    folder = tempfile.mkdtemp()

    def vm(key):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1]) / 1024

    def members(model):
        path = os.path.join(folder, "base.keras")
        model.save(path)
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist()}

    def archive(name, members):
        path = os.path.join(folder, name)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, data in members.items():
                zf.writestr(n, data)
        return path

    def huge_zero_dataset(group, name, side=18000, chunk=1000):
        """A (side, side) float32 dataset of zeros written as gzip chunks:
        1.3 GB declared, a few MB stored."""
        ds = group.create_dataset(name, (side, side), "float32",
                                  chunks=(chunk, chunk), compression="gzip")
        block = zlib.compress(bytes(chunk * chunk * 4))
        for i in range(0, side, chunk):
            for j in range(0, side, chunk):
                ds.id.write_direct_chunk((i, j), block)

    def edit_weights(data, edit):
        buffer = io.BytesIO(data)
        with h5py.File(buffer, "a") as f:
            edit(f)
        return buffer.getvalue()

    def tiny(compiled=False):
        model = lamina.Sequential([lamina.Input((4,)),
                                   lamina.layers.Dense(2)])
        if compiled:
            model.compile("sgd", "mse")
        return model

    def compressed_kernel():
        m = members(tiny())
        def edit(f):
            del f["layers/dense/vars/0"]
            huge_zero_dataset(f["layers/dense/vars"], "0")
        m["model.weights.h5"] = edit_weights(m["model.weights.h5"], edit)
        return lambda: lamina.saving.load_model(archive("a.keras", m))

    def compressed_kernel_weights_file():
        m = members(tiny())
        def edit(f):
            del f["layers/dense/vars/0"]
            huge_zero_dataset(f["layers/dense/vars"], "0")
        path = os.path.join(folder, "w.weights.h5")
        with open(path, "wb") as f:
            f.write(edit_weights(m["model.weights.h5"], edit))
        return lambda: tiny().load_weights(path)

    def junk_dataset_budget():
        m = members(tiny())
        config = json.loads(m["config.json"])
        config["config"]["layers"][1]["config"]["units"] = 80_000_000
        m["config.json"] = json.dumps(config).encode()
        m["model.weights.h5"] = edit_weights(
            m["model.weights.h5"],
            lambda f: huge_zero_dataset(f.create_group("junk/vars"), "0"))
        return lambda: lamina.saving.load_model(archive("b.keras", m))

    def relevant_dataset_wrong_shape():
        """The junk sits where the model reads its kernel, but with
        another shape than the config's (4, 80_000_000) kernel."""
        m = members(tiny())
        config = json.loads(m["config.json"])
        config["config"]["layers"][1]["config"]["units"] = 80_000_000
        m["config.json"] = json.dumps(config).encode()

        def edit(f):
            del f["layers/dense/vars/0"]
            huge_zero_dataset(f["layers/dense/vars"], "0")

        m["model.weights.h5"] = edit_weights(m["model.weights.h5"], edit)
        return lambda: lamina.saving.load_model(archive("d.keras", m))

    BOMB = {"class_name": "__numpy__",
            "config": {"value": 0, "dtype": "(14000,14000)f8"}}

    def numpy_loss_weights():
        m = members(tiny(compiled=True))
        config = json.loads(m["config.json"])
        config["compile_config"]["loss_weights"] = BOMB
        m["config.json"] = json.dumps(config).encode()
        return lambda: lamina.saving.load_model(archive("c.keras", m))

    def numpy_lambda_arguments():
        config = {"class_name": "Lambda", "config": {
            "name": "f", "function": {
                "module": "builtins", "class_name": "function",
                "config": "relu", "registered_name": "function"},
            "arguments": {"alpha": BOMB}}}
        return lambda: lamina.layers.deserialize(config)

    results = {}
    for case in sys.argv[1:]:
        load = globals()[case]()
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets the peak (VmHWM) to the current RSS
        before = vm("VmRSS")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                load()
            outcome = "loaded"
        except Exception as e:
            outcome = f"{type(e).__name__}: {e}"
        results[case] = {"grew_mb": vm("VmHWM") - before,
                         "outcome": outcome[:300]}
    print(json.dumps(results))
''')

CASES = {
    "compressed_kernel": "size mismatch",
    "compressed_kernel_weights_file": "size mismatch",
    "junk_dataset_budget": "would allocate",
    "relevant_dataset_wrong_shape": "no weight in the file has that many",
    "numpy_loss_weights": "Invalid `dtype`",
    "numpy_lambda_arguments": "Invalid `dtype`",
}


@pytest.fixture(scope="module")
def measured():
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, *CASES],
        capture_output=True,
        check=False,
        text=True,
        timeout=600,
        env={**os.environ, "KERAS_BACKEND": "torch"},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_within_memory_bound(measured, case):
    result = measured[case]
    assert result["outcome"].startswith("ValueError"), result
    assert CASES[case] in result["outcome"], result
    assert result["grew_mb"] < BOUND_MB, result


@pytest.mark.parametrize("name", ["m.keras", "m.h5"])
def test_large_weights_that_the_file_holds_still_load(
    tmp_path, monkeypatch, name
):
    """Every tensor above the large-allocation size must match a weight
    of the file: with the size lowered to 1 kB, an ordinary model (whose
    kernels, initializer temporaries and optimizer are all of weight
    sizes) still loads, compiled, in both formats."""
    import warnings

    import numpy as np

    import lamina
    from lamina.saving import archive_checks

    model = lamina.Sequential(
        [
            lamina.Input((32,)),
            lamina.layers.Dense(64, activation="relu"),
            lamina.layers.Dense(48),
            lamina.layers.Dense(2, kernel_initializer="orthogonal"),
        ]
    )
    model.compile("adam", "mse")
    model.fit(
        np.ones((4, 32), "float32"), np.ones((4, 2), "float32"), verbose=0
    )
    path = str(tmp_path / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
    monkeypatch.setattr(archive_checks, "LARGE_ALLOCATION_BYTES", 1024)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = lamina.saving.load_model(path)
    for a, b in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    # And a kernel of a size the file does not hold is refused.
    config = model.get_config()
    config["layers"][1]["config"]["units"] = 65
    with (
        pytest.raises(ValueError, match="no weight in the file"),
        archive_checks.AllocationGuard(
            [archive_checks.DatasetSize(8192, 2048)], path
        ),
    ):
        lamina.Sequential.from_config(config)
