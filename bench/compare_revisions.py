"""Two checkouts of lamina on the same workloads: does a change slow the
training loop down? Runs `suite.py` alternately with each checkout's
package first on `PYTHONPATH` (the bench scripts and the torch baselines
are this checkout's, so only lamina differs), and prints, per workload,
the median of lamina's speed-up over the hand-written torch loop for
each checkout and their ratio (after / before; 0.97 is a 3% regression).

    python bench/compare_revisions.py BEFORE_DIR AFTER_DIR [--rounds 4]
        [--only mlp128,mlp32,cnn,transformer,predict_mlp,evaluate_mlp]
        [--threads 1]

BEFORE_DIR and AFTER_DIR are checkouts (e.g. `git worktree add --detach
/tmp/before <commit>`). Alternating the runs spreads machine noise over
both; the medians drop outliers.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROW = re.compile(
    r"^\| (.+?) \| \*\*lamina / best peer .*\*\*(\d+\.\d+)x\*\* \|$"
)


def speedups(checkout: str, only: str, threads: int) -> dict:
    """One `suite.py --quick` run against `checkout`'s lamina."""
    env = dict(os.environ, PYTHONPATH=os.path.abspath(checkout) + ":" + HERE)
    cmd = [
        sys.executable,
        os.path.join(HERE, "suite.py"),
        "--quick",
        "--no-keras",
        "--no-peers",
        "--no-compile",
        "--threads",
        str(threads),
    ]
    if only:
        cmd += ["--only", only]
    out = subprocess.run(
        cmd, env=env, capture_output=True, text=True, check=True
    ).stdout
    return {m[1]: float(m[2]) for m in map(ROW.match, out.splitlines()) if m}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--only",
        default="mlp128,mlp32,cnn,transformer,predict_mlp,evaluate_mlp",
    )
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    runs: dict = {"before": [], "after": []}
    for r in range(args.rounds):
        for which in ("before", "after"):
            runs[which].append(
                speedups(getattr(args, which), args.only, args.threads)
            )
            print(f"round {r + 1} {which}: {runs[which][-1]}", flush=True)
    print("| workload | before (x torch) | after (x torch) | after / before |")
    print("|---|---|---|---|")
    for name in runs["before"][0]:
        b = statistics.median(run[name] for run in runs["before"])
        a = statistics.median(run[name] for run in runs["after"])
        print(f"| {name} | {b:.2f} | {a:.2f} | {a / b:.3f} |")


if __name__ == "__main__":
    main()
