"""`CompiledStep`: a train / test / predict step run through
`torch.compile` as one graph, with eager execution wherever that graph
cannot help.

`compile(jit_compile=True)` asks for it. What makes the step one graph
(forward, loss, gradients, optimizer update and metrics, no Python
between kernels) rather than several pieces:

- The first call runs eagerly. Lazy state (the compiled metrics, built
  from the first batch's shapes; the optimizer's slots; the trainable
  weights list) is created there, so the traced step only updates state
  in place and no guard sees it change from "unbuilt" to "built".
- The gradients come from `torch.autograd.grad` inside the graph
  (`trainer._apply_gradients` takes that path while compiling, with
  Dynamo's `trace_autograd_ops`), not from `.backward()` and `p.grad`,
  which Dynamo cannot trace on a `Parameter` subclass.
- Only the batch structure seen first is compiled (shapes fixed,
  `dynamic=False`); a batch of other shapes, such as the smaller last
  batch of an epoch, runs eagerly instead of triggering a recompile.
- On CUDA the step is captured as one CUDA graph ("reduce-overhead",
  `compile_options`), its outputs copied out of the graph's memory. The
  loops never read a value back per step (logs stay on the device), and
  array data is moved to the device once per `fit`, not per batch.
- After compiling, the compiled and the eager step are timed in turn
  for a few steps (CPU time on a CPU, synchronized wall time on CUDA)
  and the faster is kept, eager unless the compiled step wins by 3%
  (`CompiledStep._trial`), so the flag never makes the steps slower.
- The graph must be whole (`fullgraph=True`). A step Dynamo cannot trace
  in one piece (a custom `train_step` that prints, an op it does not
  support) runs eagerly from then on, after one warning naming the
  reason. Tracing fails before the step changes any state, so the batch
  is simply run again eagerly.

`LAMINA_JIT=0` in the environment turns compilation off altogether (every
step eager, `jit_compile=True` included).
"""

from __future__ import annotations

import os
import statistics
import time
import warnings
from typing import Any, Callable

import torch

from lamina.utils import tree


def jit_disabled() -> bool:
    """Whether `LAMINA_JIT=0` switches every compiled path off."""
    return os.environ.get("LAMINA_JIT", "1").strip().lower() in (
        "0",
        "false",
        "off",
        "no",
    )


def signature(batch: Any) -> tuple:
    """What a compiled graph is specialised on: each leaf's shape, dtype
    and device (or its type for a non-tensor)."""
    return tuple(
        (tuple(t.shape), t.dtype, t.device)
        if isinstance(t, torch.Tensor)
        else (type(t), t if isinstance(t, (int, float, str, bool)) else None)
        for t in tree.flatten(batch)
    )


class CompiledStep:
    """`step(batch)` compiled whole, falling back to eager per batch
    shape and, for good, when it cannot be compiled.

    Args:
        step: the bound step method (`model.train_step`...).
        name: for messages (`"train_step"`).
        prepare: called eagerly before each compiled call (refreshes the
            trainable-weights cache outside the graph).
    """

    # Inductor, with torch's own random kernels (`fallback_random`) so
    # that dropout draws the same masks as the eager step.
    backend = "inductor"
    # Steps each form is timed for before the faster one is kept: five,
    # as three let a noisy machine (8 processes on 2 cores) pick the
    # slower form (the median of three is one sample's luck).
    trials = 5

    def __init__(
        self,
        step: Callable,
        name: str,
        prepare: Callable[[], None] | None = None,
    ) -> None:
        self.step = step
        self.name = name
        self.prepare = prepare
        self.compiled: Callable | None = None
        self.key: tuple | None = None
        self.failed: str | None = None
        self.calls = 0
        self.graphed = False
        self.timings: dict = {"compiled": [], "eager": []}
        self.chosen: str | None = None

    def __call__(self, batch: Any) -> Any:
        self.calls += 1
        if self.failed is not None or self.calls == 1 or self.chosen == "eager":
            return self.step(batch)
        key = signature(batch)
        if self.key is None:
            self.key = key
        elif key != self.key:
            return self.step(batch)
        if self.prepare is not None:
            self.prepare()
        if self.chosen == "compiled":
            return self._run_compiled(batch)
        return self._trial(batch)

    def _trial(self, batch: Any) -> Any:
        """Run the compiled and the eager step in turn, timed (the call
        that compiles is not counted), then keep the faster: so that
        `jit_compile=True` is never slower than the step it replaces
        (on a CPU, Inductor's code is not always faster than torch's
        eager kernels). Both give the same numbers."""
        timings = self.timings
        warm = self.compiled is not None
        compiled = not warm or len(timings["compiled"]) <= len(timings["eager"])
        device = _device_of(batch)
        cuda = device is not None and device.type == "cuda"
        # On the CPU the process's CPU time: wall time on a shared machine
        # measures the neighbours (samples varied 6x here).
        clock = time.perf_counter if cuda else time.process_time
        start = clock()
        out = self._run_compiled(batch) if compiled else self.step(batch)
        if self.failed is not None:
            return out
        if cuda:
            torch.cuda.synchronize(device)  # only while timing
        if warm or not compiled:
            form = "compiled" if compiled else "eager"
            timings[form].append(clock() - start)
        if min(len(v) for v in timings.values()) >= self.trials:
            compiled, eager = (statistics.median(timings[k]) for k in timings)
            # A tie goes to eager, which has no guards to check per call.
            self.chosen = "compiled" if compiled < 0.97 * eager else "eager"
        return out

    def _run_compiled(self, batch: Any) -> Any:
        import torch._dynamo

        if self.compiled is None:
            options = compile_options(_device_of(batch), self.backend)
            self.graphed = options.get("mode") == "reduce-overhead"
            self.compiled = torch.compile(
                self.step,
                backend=self.backend,
                fullgraph=True,
                dynamic=False,
                **options,
            )
        graphed = self.graphed
        try:
            with _compile_settings():
                if graphed:
                    # Each call is a new iteration of the captured graph.
                    torch.compiler.cudagraph_mark_step_begin()
                out = self.compiled(batch)
        except torch._dynamo.exc.TorchDynamoException as error:
            # Raised while tracing or generating code, before the step
            # changed any state; a genuine error in the step is raised
            # again by the eager run below.
            reason = _reason(error)
            self.failed = reason
            warnings.warn(
                f"jit_compile: `{self.name}` cannot be compiled as one "
                f"graph ({reason}); it runs eagerly instead.",
                stacklevel=4,
            )
            return self.step(batch)
        if graphed:
            # A CUDA graph's outputs live in memory the next replay
            # overwrites; `predict` keeps every batch's outputs.
            out = tree.map_structure(_clone, out)
        return out


def compile_options(device: torch.device | None, backend: str) -> dict:
    """`torch.compile` options for a step whose batches live on `device`.

    On CUDA the whole step is captured as one CUDA graph
    (`mode="reduce-overhead"`): the shapes are fixed (`dynamic=False`, and
    a batch of another signature runs eagerly), so one launch replaces
    every kernel launch of the step. Elsewhere, Inductor's defaults. Only
    Inductor takes a mode.

    Example:

    >>> import torch
    >>> from lamina.trainers.compiled_step import compile_options
    >>> compile_options(torch.device("cuda"), "inductor")
    {'mode': 'reduce-overhead'}
    >>> compile_options(torch.device("cpu"), "inductor")
    {}
    """
    if backend != "inductor" or device is None or device.type != "cuda":
        return {}
    return {"mode": "reduce-overhead"}


def _device_of(batch: Any) -> torch.device | None:
    for t in tree.flatten(batch):
        if isinstance(t, torch.Tensor):
            return t.device
    return None


def _clone(value: Any) -> Any:
    return value.clone() if isinstance(value, torch.Tensor) else value


def step_function(model: Any, kind: str, force: bool = False) -> Callable:
    """The callable the loops run per batch for `kind` (`"train"`,
    `"test"`, `"predict"`): `model.<kind>_step`, wrapped in a
    `CompiledStep` when the model is compiled with `jit_compile=True`
    (and `LAMINA_JIT` is not 0). Cached until the step method changes."""
    functions = model.__dict__.setdefault("_step_functions", {})
    step = getattr(model, f"{kind}_step")
    cached = functions.get(kind)
    if cached is not None and not force and cached[0] == step:
        return cached[1]
    function = step
    if model.jit_compile and not jit_disabled():
        function = CompiledStep(
            step, f"{kind}_step", prepare=model._trainable_params
        )
    functions[kind] = (step, function)
    return function


def _reason(error: Exception) -> str:
    """The first line of Dynamo's message and the innermost frame of the
    traced code it stopped in (`file:line in function`)."""
    lines = str(error).strip().splitlines()
    frames = [
        line.strip()
        for line in lines
        if line.strip().startswith("File ")
        and "/torch/" not in line
        and "/utils/eager.py" not in line  # the wrapper, not the cause
    ]
    where = ""
    if frames:
        parts = frames[-1].split('"')
        path = parts[1].rsplit("/", 1)[-1] if len(parts) > 2 else ""
        where = f" at {path}{parts[-1].replace(', line ', ':')}"
    return lines[0] + where if lines else type(error).__name__


def _compile_settings():
    import contextlib

    import torch._dynamo
    import torch._inductor.config

    stack = contextlib.ExitStack()
    stack.enter_context(torch._dynamo.config.patch(trace_autograd_ops=True))
    stack.enter_context(torch._inductor.config.patch(fallback_random=True))
    return stack


__all__ = [
    "CompiledStep",
    "compile_options",
    "jit_disabled",
    "signature",
    "step_function",
]
