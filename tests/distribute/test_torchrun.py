"""An ordinary training script, unchanged, under `torchrun` with two
processes: it trains data-parallel and matches the one-process run."""

import json
import os
import runpy
import subprocess
import sys
import textwrap

import numpy as np

from lamina.distribute.launch import free_port

REPO = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)

SCRIPT = textwrap.dedent("""
    import json
    import os
    import sys

    import numpy as np

    import lamina


    def main(out):
        rng = np.random.default_rng(0)
        x = rng.normal(size=(96, 6)).astype("float32")
        y = rng.integers(0, 3, size=(96,))
        lamina.utils.set_random_seed(7)
        model = lamina.Sequential([
            lamina.Input((6,)),
            lamina.layers.Dense(8, activation="relu"),
            lamina.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        history = model.fit(x, y, batch_size=32, epochs=2, verbose=2)
        predictions = model.predict(x[:10], verbose=0)
        # Test harness only: record what this process saw.
        name = "result_" + os.environ.get("RANK", "single") + ".json"
        with open(os.path.join(out, name), "w") as f:
            json.dump({"history": history.history,
                       "predictions": predictions.tolist(),
                       "weights": [w.tolist() for w in model.get_weights()]},
                      f)


    if __name__ == "__main__":
        main(sys.argv[1])
""")


def test_unchanged_script_trains_data_parallel_under_torchrun(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    env = dict(
        os.environ,
        PYTHONPATH=REPO,
        LAMINA_DIST_TIMEOUT="60",
        OMP_NUM_THREADS="1",
    )
    for name in (
        "RANK",
        "WORLD_SIZE",
        "LOCAL_RANK",
        "MASTER_ADDR",
        "MASTER_PORT",
    ):
        env.pop(name, None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--nproc_per_node=2",
            "--master_addr=127.0.0.1",
            f"--master_port={free_port()}",
            str(script),
            str(tmp_path),
        ],
        env=env,
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    runpy.run_path(str(script), run_name="reference")["main"](str(tmp_path))

    def read(name):
        with open(tmp_path / f"result_{name}.json") as f:
            return json.load(f)

    single = read("single")
    for rank in ("0", "1"):
        dist = read(rank)
        for key in single["history"]:
            np.testing.assert_allclose(
                dist["history"][key], single["history"][key], rtol=1e-5
            )
        np.testing.assert_allclose(
            dist["predictions"], single["predictions"], rtol=1e-5, atol=1e-6
        )
        for a, b in zip(dist["weights"], single["weights"]):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # Progress is printed once, by rank 0.
    assert done.stdout.count("Epoch 1/2") == 1, done.stdout
