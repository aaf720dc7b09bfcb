"""`ExportArchive`: several serving endpoints written as torch artefacts.

Keras's `ExportArchive` writes a TensorFlow SavedModel; lamina writes what
torch serves. `write_out(folder)` creates the folder and puts in it, per
endpoint, `<name>.pt2` (`format="pt2"`, a `torch.export` program: reload
with `torch.export.load(path).module()`) or `<name>.onnx` (`format="onnx"`,
reload with `onnxruntime.InferenceSession`), and, per variable collection,
`<name>.pt` (a list of tensors: `torch.load(path)`).

Each endpoint is captured like `Model.export` captures a model (shared
code in `lamina/models/export*.py`): non-strict `torch.export` on CPU, the
tracked layers in inference mode, one dynamic `batch` axis shared by all
inputs. Tracked layers are submodules of the captured module, so their
weights are the program's parameters, not constants baked into its graph.
"""

from __future__ import annotations

import os
from typing import Any

import torch

from lamina.export.endpoint import Endpoint
from lamina.export.endpoint import check_options
from lamina.export.endpoint import convert_signature
from lamina.models.export_pt2 import exported_program
from lamina.models.export import inference_state
from lamina.saving.atomic import atomic_write
from lamina.utils.progbar import print_msg

FORMATS = ("pt2", "onnx")


class ExportArchive:
    """Writes serving endpoints (and variable collections) for inference.

    Use `track()` to register the layers or models the endpoints use,
    `add_endpoint()` for each function to serve with its input signature,
    `add_variable_collection()` for variables to retrieve after reloading,
    then `write_out()`.

    Args:
        format: `"pt2"` (default; `torch.export` programs) or `"onnx"`
            (needs `pip install lamina[export]`). Keras's `"saved_model"`
            needs TensorFlow.

    Example:

    >>> import os, tempfile, torch, lamina
    >>> model = lamina.Sequential([lamina.Input((3,)),
    ...                            lamina.layers.Dense(2)])
    >>> archive = lamina.export.ExportArchive()
    >>> archive.track(model)
    >>> archive.add_endpoint(
    ...     "serve", lambda x: model(x, training=False),
    ...     input_signature=[lamina.InputSpec(shape=(None, 3))])
    >>> folder = os.path.join(tempfile.mkdtemp(), "served")
    >>> archive.write_out(folder, verbose=False)
    >>> program = torch.export.load(os.path.join(folder, "serve.pt2"))
    >>> program.module()(torch.ones(5, 3)).shape
    torch.Size([5, 2])
    """

    def __init__(self, format: str = "pt2") -> None:
        if format not in FORMATS:
            hint = (
                " Keras's 'saved_model' needs TensorFlow."
                if format == "saved_model"
                else ""
            )
            raise ValueError(
                "Invalid value for argument `format` of ExportArchive: "
                f"expected one of {list(FORMATS)}.{hint} Received: "
                f"format={format!r}"
            )
        self.format = format
        self._tracked: list = []
        self._endpoints: dict = {}
        self._collections: dict = {}

    def track(self, resource: Any) -> None:
        """Track a layer or model whose weights the endpoints use.

        Its weights become the parameters of each endpoint's program
        (untracked ones are stored as constants of the graph), and it is
        put in inference mode while the endpoints are captured.

        Args:
            resource: a built lamina `Layer` or `Model` (or any
                `torch.nn.Module`).
        """
        if not isinstance(resource, torch.nn.Module):
            raise ValueError(
                "Invalid resource type passed to ExportArchive.track: "
                "expected a lamina Layer or Model (a torch.nn.Module). "
                f"Received: resource={resource!r} of type "
                f"{type(resource).__name__}"
            )
        if getattr(resource, "built", True) is False:
            raise ValueError(
                f"The layer provided to ExportArchive.track has not yet "
                f"been built. It must be built before export. Received: "
                f"resource={getattr(resource, 'name', resource)!r}"
            )
        if not any(r is resource for r in self._tracked):
            self._tracked.append(resource)

    def add_endpoint(
        self,
        name: str | None,
        fn: Any,
        input_signature: Any = None,
        **kwargs: Any,
    ) -> None:
        """Register `fn` to be served as endpoint `name`.

        Args:
            name: the endpoint's name (its file is `<name>.pt2` or
                `<name>.onnx`).
            fn: a callable of tensors, e.g. `model.call` or
                `lambda x: model(x, training=False)`.
            input_signature: a list with one entry per positional
                argument of `fn`: an `InputSpec` (or a list, tuple or dict
                of them). `None` sizes are dynamic; the batch axis is
                shared by all inputs.
        """
        _check_name(name, self._endpoints, "add_endpoint")
        if kwargs:
            raise ValueError(
                "Unrecognized keyword arguments passed to "
                f"ExportArchive.add_endpoint: {sorted(kwargs)} (Keras's are "
                "TensorFlow/JAX conversion options)."
            )
        if not callable(fn):
            raise TypeError(
                "Invalid value for argument `fn` of ExportArchive."
                f"add_endpoint: expected a callable. Received: fn={fn!r}"
            )
        if input_signature is None:
            raise ValueError(
                "ExportArchive.add_endpoint needs `input_signature`: a list "
                "with one InputSpec (or structure of them) per argument of "
                "`fn`, e.g. [lamina.InputSpec(shape=(None, 3))]. Received: "
                "input_signature=None"
            )
        if not isinstance(input_signature, (list, tuple)):
            input_signature = [input_signature]
        specs = tuple(convert_signature(x, name) for x in input_signature)
        owner = getattr(fn, "__self__", None)
        if isinstance(owner, torch.nn.Module):
            self.track(owner)
        self._endpoints[name] = (fn, specs)

    def track_and_add_endpoint(
        self,
        name: str | None,
        resource: Any,
        input_signature: Any,
        **kwargs: Any,
    ) -> None:
        """`track(resource)`, then serve its inference-mode call as
        endpoint `name`."""
        self.track(resource)
        self.add_endpoint(
            name,
            lambda *args: resource(*args, training=False),
            input_signature,
            **kwargs,
        )

    def add_variable_collection(self, name: str | None, variables: Any) -> None:
        """Register variables to be written as `<name>.pt` (a list of
        tensors, in the given order) beside the endpoints.

        Args:
            name: the collection's name.
            variables: a list, tuple or set of tensors (weights are
                `torch.nn.Parameter`s).
        """
        _check_name(name, self._collections, "add_variable_collection")
        if not isinstance(variables, (list, tuple, set)):
            raise ValueError(
                "Expected `variables` of ExportArchive.add_variable_"
                "collection to be a list/tuple/set. Received instead "
                f"object of type '{type(variables).__name__}'."
            )
        bad = [v for v in variables if not isinstance(v, torch.Tensor)]
        if bad:
            raise ValueError(
                "Expected all elements in `variables` of ExportArchive."
                "add_variable_collection to be tensors (lamina weights). "
                f"Received instead: {bad[0]!r}"
            )
        self._collections[name] = list(variables)

    def write_out(
        self, filepath: Any, options: Any = None, verbose: bool = True
    ) -> None:
        """Write every endpoint and variable collection into the folder
        `filepath` (created if needed; each file is written atomically).

        Args:
            filepath: `str` or path-like: the folder to write.
            options: `None`, or a dict of writer options: for
                `format="onnx"`, `{"opset_version": int}`.
            verbose: print the files written.
        """
        if not self._endpoints:
            raise ValueError(
                "No endpoints have been set yet. Call add_endpoint() "
                "before write_out()."
            )
        options = check_options(self.format, options)
        folder = os.fspath(filepath)
        os.makedirs(folder, exist_ok=True)
        written = [
            self._write_endpoint(folder, name, fn, specs, options)
            for name, (fn, specs) in self._endpoints.items()
        ]
        for name, variables in self._collections.items():
            path = os.path.join(folder, f"{name}.pt")
            tensors = [v.detach().cpu().clone() for v in variables]
            atomic_write(path, lambda f, t=tensors: torch.save(t, f))
            written.append(path)
        if verbose:
            print_msg(f"Saved artifact at '{folder}': " + ", ".join(written))

    def _write_endpoint(self, folder, name, fn, specs, options) -> str:
        endpoint = Endpoint(name, fn, specs, self._tracked)
        path = os.path.join(folder, f"{name}.{self.format}")
        with inference_state(endpoint) as settle:
            endpoint.build()
            settle()
            if self.format == "onnx":
                from lamina.models import export_onnx

                export_onnx.check_model(endpoint)
                write = lambda f: export_onnx.write(f, endpoint, **options)  # noqa: E731
            else:
                program = exported_program(endpoint)
                write = lambda f: torch.export.save(program, f)  # noqa: E731
            atomic_write(path, write)
        return path


def _check_name(name: Any, taken: dict, method: str) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(
            f"Invalid value for argument `name` of ExportArchive.{method}: "
            f"expected a Python identifier (it names a file). Received: "
            f"name={name!r}"
        )
    if name in taken:
        raise ValueError(
            f"ExportArchive.{method}: the name '{name}' is already taken."
        )
