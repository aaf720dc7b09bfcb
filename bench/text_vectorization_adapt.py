"""`TextVectorization.adapt` on 100k short sentences: lamina against Keras.

Keras's TextVectorization needs TensorFlow, so Keras's timing comes from a
separate interpreter that has Keras + TensorFlow (`--python PATH`); the two
are run alternately, `--repeats` times each, and the medians compared.
Without `--python`, only lamina is timed.

    python bench/text_vectorization_adapt.py [--python /path/to/tf/python]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

WORDS = [
    "the",
    "a",
    "cat",
    "dog",
    "sat",
    "ran",
    "on",
    "under",
    "mat",
    "big",
    "small",
    "red",
    "blue",
    "quickly",
    "slowly",
    "jumped",
    "over",
    "lazy",
    "fox",
    "house",
    "tree",
    "river",
    "city",
    "night",
    "day",
    "happy",
    "sad",
    "movie",
    "good",
    "bad",
    "great",
    "terrible",
    "plot",
    "actor",
]

_TIME_ONE = r"""
import json, os, random, sys, time
words, n, seed = json.loads(sys.argv[1])
rng = random.Random(seed)
sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(4, 12)))
             + rng.choice([".", "!", "?", ""]) for _ in range(n)]
import {module} as lib
layer = lib.layers.TextVectorization(max_tokens=20000)
start = time.perf_counter()
layer.adapt(sentences)
print(json.dumps([time.perf_counter() - start, len(layer.get_vocabulary())]))
"""


def time_one(python: str, module: str, backend: str, n: int, seed: int):
    code = _TIME_ONE.format(module=module, backend=backend)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND=backend)
    out = subprocess.run(
        [python, "-c", code, json.dumps([WORDS, n, seed])],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", help="an interpreter with Keras + TF")
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times = {"lamina": [], "keras": []}
    for seed in range(args.repeats):
        seconds, vocab = time_one(
            sys.executable, "lamina", "torch", args.sentences, seed
        )
        times["lamina"].append(seconds)
        if args.python:
            k_seconds, k_vocab = time_one(
                args.python, "keras", "tensorflow", args.sentences, seed
            )
            times["keras"].append(k_seconds)
            assert k_vocab == vocab, (k_vocab, vocab)
    lam = statistics.median(times["lamina"])
    print(
        f"lamina adapt, {args.sentences} sentences: median {lam:.3f} s "
        f"({times['lamina']})"
    )
    if times["keras"]:
        ker = statistics.median(times["keras"])
        print(
            f"keras (TensorFlow) adapt: median {ker:.3f} s "
            f"({times['keras']}); keras/lamina = {ker / lam:.2f}"
        )


if __name__ == "__main__":
    main()
