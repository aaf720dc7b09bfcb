"""`Layer`: Keras's layer contract on a `torch.nn.Module` body.

Lifecycle (see `engine/README.md`): `__init__` stores configuration,
`build(input_shape)` creates weights with `add_weight`, `call` is the math,
`get_config` round-trips. `__call__` runs Keras's phases, each a named
helper; the computation itself goes through `nn.Module.__call__`, so torch
hooks, profilers, DDP and `torch.compile` see an ordinary module.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from lamina import config
from lamina.engine import call_context, name_scope, naming, remat
from lamina.engine import quantization_hooks as quant
from lamina.engine import shape_inference, weight_slots
from lamina.engine import weight_listing as listing
from lamina.engine import weights as weight_store
from lamina.engine import dtype_policy as policies
from lamina.engine.base_operation import Operation
from lamina.engine.build_shapes import as_build_shape, specs_from_shapes
from lamina.engine.input_spec import assert_input_compatibility
from lamina.engine.node import Node
from lamina.engine.operation import any_symbolic
from lamina.engine.stateless_scope import get_stateless_scope
from lamina.engine.symbolic import SymbolicTensor
from lamina.errors import MISSING_SUPER_INIT, format_value, unrecognized_kwargs
from lamina.utils import tree
from lamina.utils.dtype_utils import to_torch_dtype

_BASE_KWARGS = {
    "activity_regularizer",
    "trainable",
    "dtype",
    "autocast",
    "name",
    "input_shape",
    "input_dim",
    "batch_size",
    "batch_input_shape",
    "input_dtype",
    "quantization_config",
}


def _call_signature_info(cls) -> dict:
    params = inspect.signature(cls.call).parameters
    names = [n for n in params if n != "self"]
    return {
        "training": "training" in params,
        "mask": "mask" in params,
        "training_default": (
            params["training"].default
            if "training" in params
            and params["training"].default is not inspect.Parameter.empty
            else None
        ),
        "first_arg": names[0] if names else None,
    }


def _record_init_args(init):
    """Wrap a subclass `__init__` to remember its arguments (outermost
    call only), for the automatic `get_config` of simple custom layers."""

    @functools.wraps(init)
    def wrapped(self, *args, **kwargs):
        if not hasattr(self, "_init_args_recorded"):
            object.__setattr__(self, "_init_args_recorded", True)
            try:
                bound = inspect.signature(init).bind(self, *args, **kwargs)
                arguments = dict(bound.arguments)
                arguments.pop("self", None)
                extra = arguments.pop("kwargs", {})
                arguments.update(extra)
            except TypeError:
                arguments = None
            object.__setattr__(self, "_init_arguments", arguments)
        init(self, *args, **kwargs)

    return wrapped


def _mark_built(build):
    """A layer is built once any `build` returns, also one called by
    hand (so a later call does not build again and redraw weights)."""

    @functools.wraps(build)
    def wrapped(self, *args, **kwargs):
        # Weights made here (and by sublayers built here) get this
        # layer's name in their `path`, as in Keras.
        with name_scope.layer_scope(self):
            result = build(self, *args, **kwargs)
            outermost = getattr(type(self).build, "__wrapped__", 0) is build
            if outermost and self.quantization_mode and not self._is_quantized:
                quant.build_quantized(self)  # a layer of a quantized model
        self.built = True
        return result

    return wrapped


class Layer(nn.Module, Operation):
    """The base class of all layers, a `torch.nn.Module`.

    Args:
        trainable: whether the layer's weights are updated in training.
        dtype: the dtype policy: a name (`"float32"`, `"mixed_float16"`)
            or a `DTypePolicy`. Defaults to the global policy.
        autocast: whether to cast float inputs to the compute dtype.
        name: the layer's name; unique auto names (`dense`, `dense_1`)
            otherwise.
        activity_regularizer: a regularizer applied to the outputs.
        input_shape, input_dim, batch_size: for the first layer of a
            `Sequential`, the shape of its inputs (without the batch axis).

    Example:

    >>> import torch, lamina
    >>> class SimpleDense(lamina.layers.Layer):
    ...     def __init__(self, units=32):
    ...         super().__init__()
    ...         self.units = units
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(
    ...             shape=(input_shape[-1], self.units),
    ...             initializer="random_normal", trainable=True)
    ...         self.b = self.add_weight(
    ...             shape=(self.units,), initializer="zeros", trainable=True)
    ...     def call(self, inputs):
    ...         return inputs @ self.w + self.b
    >>> SimpleDense(4)(torch.ones(2, 3)).shape
    torch.Size([2, 4])
    """

    # True for layers that take integer inputs (indices, or an arbitrary
    # wrapped module) and for models (a functional model casts to its
    # `Input` dtypes instead): the engine never casts their inputs.
    _keeps_input_dtype = False

    _call_info: dict[str, Any]  # what `call` accepts, per class
    if TYPE_CHECKING:
        # Attributes set outside the class body (graph state, sublayers set
        # by helpers) are Any to mypy, not nn.Module's `Tensor | Module`.
        def __getattr__(self, name: str) -> Any: ...
        def __setattr__(self, name: str, value: Any) -> None: ...
    else:
        __setattr__ = weight_store.set_attribute

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            setattr(cls, "__init__", _record_init_args(cls.__init__))
        if "build" in cls.__dict__:
            setattr(cls, "build", _mark_built(cls.build))
        cls._call_info = _call_signature_info(cls)

    def __init__(
        self,
        *,
        activity_regularizer=None,
        trainable=True,
        dtype=None,
        autocast=True,
        name=None,
        **kwargs,
    ):
        unknown = set(kwargs) - _BASE_KWARGS
        if unknown:
            raise ValueError(
                unrecognized_kwargs(type(self), {k: kwargs[k] for k in unknown})
            )
        nn.Module.__init__(self)
        # Keras semantics: a layer runs in inference mode unless training
        # is asked for; `fit` (or `module.train()`) turns it on.
        self.training = False
        if name is not None and not isinstance(name, str):
            raise TypeError(
                "Invalid value for argument `name` of "
                f"{type(self).__name__}: expected a string. "
                f"Received: name={name!r}"
            )
        self.name = name or naming.auto_name(
            naming.class_key(type(self).__name__)
        )
        self._dtype_policy = policies.get(dtype)
        self._compute_torch_dtype = to_torch_dtype(
            self._dtype_policy.compute_dtype
        )
        self.autocast = autocast
        self.built = False
        self._trainable = bool(trainable)
        self.input_spec = None
        self.supports_masking = (
            type(self).compute_mask is not Layer.compute_mask
        )
        self._losses: list = []
        self._inbound_nodes, self._outbound_nodes = [], []
        self._remat_mode = remat.get_current_remat_mode()  # as Keras: at init
        self._build_shapes = None
        self._build_device = None
        self._weight_info: weight_store.WeightInfo = {}
        from lamina import regularizers

        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._batch_shape = _batch_shape_from_kwargs(kwargs)
        self._input_dtype = kwargs.get("input_dtype")
        self._initialized = True

    # -- properties --------------------------------------------------------

    @property
    def dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        for module in self.modules():
            if isinstance(module, Layer):
                module._trainable = bool(value)
                listing.sync_requires_grad(module)
            elif not value:
                module.requires_grad_(False)

    @property
    def input(self):
        return self._node_tensors("input")

    @property
    def output(self):
        return self._node_tensors("output")

    def _node_tensors(self, which: str):
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer '{self.name}' has never been called on a symbolic "
                f"tensor, so it has no defined {which}."
            )
        node = self._inbound_nodes[0]
        if which == "output":
            return node.outputs_structure
        return node.call_args[0] if node.call_args else node.input_tensors

    # -- weights: engine/weights.py, weight_listing.py, weight_slots.py ----

    add_weight = weight_store.add_weight
    weights = variables = property(listing.all_weights)
    trainable_weights = property(listing.trainable_weights)
    non_trainable_weights = property(listing.non_trainable_weights)
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    get_weights = weight_slots.get_weights
    set_weights = weight_slots.set_weights
    count_params = weight_slots.count_params
    apply_constraints = listing.apply_constraints
    reset_parameters = listing.reset_parameters

    # -- quantization: engine/quantization_hooks.py ------------------------

    _is_quantized = False
    # The object that quantizes this class's layers; None: no quantized form.
    _quantization_handler: quant.QuantizationHandler | None = None
    dtype_policy = property(quant.get_dtype_policy, quant.set_dtype_policy)
    quantization_mode = property(quant.quantization_mode)
    quantize = quant.quantize

    # -- lifecycle ---------------------------------------------------------

    def build(self, input_shape: Any = None) -> None:
        """Create the layer's weights for `input_shape` (override)."""
        self.built = True

    def call(self, *args, **kwargs):
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `call()` method "
            "implemented."
        )

    def forward(self, *args, **kwargs):
        if self._is_quantized:  # see quantization_hooks.py
            return quant.forward(self, *args, **kwargs)
        if self._remat_mode is None:
            return self.call(*args, **kwargs)
        return remat.layer_call(self, args, kwargs)

    def compute_mask(self, inputs, previous_mask):
        return previous_mask

    def __call__(self, *args, **kwargs):
        if not getattr(self, "_initialized", False):
            raise RuntimeError(MISSING_SUPER_INIT.format(cls=type(self)))
        if not self.built and not name_scope.is_open(self):
            # The first call builds this layer and any sublayer its `call`
            # builds: inside this layer's name scope, as Keras does (built
            # layers skip the scope; they create no weights).
            with name_scope.layer_scope(self):
                return self.__call__(*args, **kwargs)
        if any_symbolic(args, kwargs):
            return self._symbolic_call(args, kwargs)
        args = self._convert_inputs(args)
        if not self.built:
            self._maybe_build(args, kwargs)
        if self._promotes_inputs() and _has_non_float(args):
            args = tree.map_structure(self._promote_one, args)
        if self.input_spec is not None:
            self._check_input_spec(args[0])
        info = self._call_info
        if info["training"]:
            kwargs["training"] = self._resolve_training(kwargs)
            training = kwargs["training"]
        else:  # a `call` without `training` still passes it to sublayers
            training = kwargs.pop("training", None)
        token = call_context.enter(training)
        try:
            previous_mask = self._propagate_mask(args, kwargs, info)
            if self._losses:
                self._losses.clear()
            outputs = self._call_module(args, kwargs)
            if self.activity_regularizer is not None:
                self._add_activity_loss(outputs)
            if previous_mask is not None or self.supports_masking:
                self._set_output_mask(args, outputs, previous_mask)
        except Exception as error:  # noqa: BLE001 - re-raised with context
            _raise_with_context(self, error, args, kwargs)
        finally:
            call_context.leave(token)
        return outputs

    # -- the phases of __call__ -------------------------------------------

    def _check_input_spec(self, first: Any) -> None:
        """Check `input_spec`; a tensor of the shape last accepted under the
        same spec passes without re-walking the spec (every eager call
        comes here, usually with the same shape)."""
        if torch.compiler.is_compiling():
            # Under torch.compile/export the cache's shape comparison would
            # become a guard on the batch size.
            assert_input_compatibility(self.input_spec, first, self)
            return
        cache = self.__dict__.get("_spec_accepted")
        if (
            cache is not None
            and cache[0] is self.input_spec
            and isinstance(first, torch.Tensor)
            and first.shape == cache[1]
        ):
            return
        assert_input_compatibility(self.input_spec, first, self)
        if isinstance(first, torch.Tensor):
            self.__dict__["_spec_accepted"] = (self.input_spec, first.shape)

    def _convert_inputs(self, args: tuple) -> tuple:
        """Arrays and lists become tensors; float inputs take the compute
        dtype (when `autocast`)."""
        if (
            len(args) == 1
            and isinstance(args[0], torch.Tensor)
            and (
                args[0].dtype is self._compute_torch_dtype
                or not args[0].is_floating_point()
            )
        ):
            return args
        return tree.map_structure(self._convert_one, args)

    def _convert_one(self, x: Any) -> Any:
        if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
            return x  # text stays NumPy (torch has no strings)
        if isinstance(x, (np.ndarray, np.generic)) or (
            isinstance(x, (float, int)) and not isinstance(x, bool)
        ):
            x = torch.as_tensor(x)
        if (
            isinstance(x, torch.Tensor)
            and self.autocast
            and x.is_floating_point()
            and x.dtype is not self._compute_torch_dtype
        ):
            mask = getattr(x, "_keras_mask", None)
            x = x.to(self._compute_torch_dtype)
            if mask is not None:
                x._keras_mask = mask
        return x

    def _promotes_inputs(self) -> bool:
        """Whether bool and integer inputs are cast to the compute dtype:
        for a built layer with float weights (its own or its sublayers'),
        unless it or a sublayer takes integer inputs (`Embedding`).

        Keras's ops promote `bool @ float32` to float32, so `Dense` on a
        bool array works there; torch's do not, so the engine casts here,
        once, before `call`. Decided once per layer, after `build`."""
        flag = self.__dict__.get("_promotes_inputs_flag")
        if flag is None:
            if not self.built:
                return False
            layers = [m for m in self.modules() if isinstance(m, Layer)]
            flag = not any(
                layer._keeps_input_dtype for layer in layers
            ) and any(p.is_floating_point() for p in self.parameters())
            object.__setattr__(self, "_promotes_inputs_flag", flag)
        return flag

    def _promote_one(self, x: Any) -> Any:
        if isinstance(x, torch.Tensor) and not (
            x.is_floating_point() or x.is_complex()
        ):
            mask = getattr(x, "_keras_mask", None)
            x = x.to(self._compute_torch_dtype)
            if mask is not None:
                x._keras_mask = mask
        return x

    def _to_compute_dtype(self, x: Any) -> Any:
        if isinstance(x, torch.Tensor) and x.dtype == torch.float32:
            mask = getattr(x, "_keras_mask", None)
            x = x.to(self._compute_torch_dtype)
            if mask is not None:
                x._keras_mask = mask
        return x

    def _maybe_build(self, args: tuple, kwargs: dict) -> None:
        first = args[0] if args else kwargs.get(self._call_info["first_arg"])
        shapes = tree.map_structure(
            lambda x: tuple(x.shape) if hasattr(x, "shape") else x, first
        )
        device = next(
            (
                x.device
                for x in tree.flatten(first)
                if isinstance(x, torch.Tensor) and x.device.type != "meta"
            ),
            None,
        )
        self._build_device = device
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, first, self)
        self._build_shapes = shapes
        self.build(as_build_shape(shapes))
        self.built = True
        self._build_device = None

    def _resolve_training(self, kwargs: dict):
        """Priority: the explicit argument, then an outer call's value,
        then `nn.Module.training` when set (by `fit` or `.train()`), then
        the signature default, then False."""
        value = kwargs.get("training")
        if value is not None:
            return value
        ctx = call_context.current()
        if ctx is not None and ctx.training is not None:
            return ctx.training
        if self.training:
            return True
        default = self._call_info["training_default"]
        return False if default is None else default

    def _propagate_mask(self, args: tuple, kwargs: dict, info: dict):
        first = args[0] if args else None
        if isinstance(first, torch.Tensor):
            previous = getattr(first, "_keras_mask", None)
        elif first is None:
            previous = None
        else:
            masks = [
                getattr(x, "_keras_mask", None) for x in tree.flatten(first)
            ]
            previous = (
                None
                if all(m is None for m in masks)
                else tree.map_structure(
                    lambda x: getattr(x, "_keras_mask", None), first
                )
            )
        if info["mask"]:
            if kwargs.get("mask") is None:
                kwargs["mask"] = previous
            else:
                previous = kwargs["mask"]
        elif previous is not None and not self.supports_masking:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) does not "
                "support masking, but was passed an input with a mask "
                "attached to it (e.g. from `Masking` or "
                "`Embedding(mask_zero=True)`). Remove the mask upstream or "
                "use a layer that supports masking."
            )
        return previous

    def _call_module(self, args: tuple, kwargs: dict):
        state = call_context.state
        if state.trace is not None:
            _register_meta_weights(state.trace, self)
            outputs = nn.Module.__call__(self, *args, **kwargs)
            if self._dtype_policy.is_mixed:
                # Autocast does not act on meta tensors: give float outputs
                # the compute dtype the real call would produce.
                outputs = tree.map_structure(self._to_compute_dtype, outputs)
            return outputs
        if self._dtype_policy.is_mixed:
            device_type = _device_type(args)
            # Counted per thread: a full-precision layer inside this call
            # switches autocast off (a plain int, not a torch query, so the
            # common float32-only case costs one comparison).
            state.autocast_depth += 1
            try:
                with torch.autocast(
                    device_type, dtype=self._compute_torch_dtype
                ):
                    outputs = nn.Module.__call__(self, *args, **kwargs)
                if not self._parameters:
                    return outputs
                # Keras reads a mixed layer's own weights in the compute
                # dtype; autocast leaves the ops it does not cover (a bias
                # added after an einsum) in float32.
                return tree.map_structure(self._to_compute_dtype, outputs)
            finally:
                state.autocast_depth -= 1
        if state.autocast_depth:
            # A full-precision layer inside a mixed one (Keras's final
            # `Dense(dtype="float32")`) computes in its own dtype.
            with torch.autocast(_device_type(args), enabled=False):
                return nn.Module.__call__(self, *args, **kwargs)
        return nn.Module.__call__(self, *args, **kwargs)

    def _set_output_mask(self, args: tuple, outputs: Any, previous) -> None:
        first = args[0] if args else None
        mask = (
            self.compute_mask(first, previous)
            if self.supports_masking
            else None
        )
        if mask is None:
            return
        if isinstance(outputs, torch.Tensor):
            setattr(outputs, "_keras_mask", mask)
            return
        # As Keras: masks pair with outputs in order (a single mask goes to
        # the first output only), and a mask the call set is kept.
        for out, m in zip(tree.flatten(outputs), tree.flatten(mask)):
            if (
                isinstance(out, torch.Tensor)
                and m is not None
                and getattr(out, "_keras_mask", None) is None
            ):
                setattr(out, "_keras_mask", m)

    def _add_activity_loss(self, outputs: Any) -> None:
        if call_context.state.trace is not None:
            return  # a symbolic call's outputs are meta tensors, not values
        for out in tree.flatten(outputs):
            if isinstance(out, torch.Tensor):
                loss = self.activity_regularizer(out)
                if out.ndim > 0 and out.shape[0] > 0:
                    loss = loss / out.shape[0]
                self.add_loss(loss)

    def _symbolic_call(self, args: tuple, kwargs: dict):
        first = args[0] if args else kwargs.get(self._call_info["first_arg"])
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, first, self)
        if not self.built:
            self._build_symbolic(first)
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, kwargs, outputs)
        return outputs

    def _build_symbolic(self, first: Any) -> None:
        shapes = tree.map_structure(
            lambda x: x.shape if isinstance(x, SymbolicTensor) else x, first
        )
        self._build_shapes = shapes
        self.build(as_build_shape(shapes))
        self.built = True

    # -- shapes ------------------------------------------------------------

    def compute_output_spec(self, *args, **kwargs):
        """Symbolic outputs for symbolic inputs (traced, or from an
        overridden `compute_output_shape`)."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            first = args[0] if args else next(iter(kwargs.values()))
            shapes = tree.map_structure(
                lambda x: x.shape if isinstance(x, SymbolicTensor) else x,
                first,
            )
            out_shape = self.compute_output_shape(as_build_shape(shapes))
            leaves = [
                x for x in tree.flatten(first) if isinstance(x, SymbolicTensor)
            ]
            dtype = self.compute_dtype
            if leaves and not leaves[0].dtype.startswith(("float", "bfloat")):
                dtype = leaves[0].dtype  # e.g. Reshape of int inputs
            return specs_from_shapes(out_shape, dtype)
        return shape_inference.compute_output_spec(
            self.__call__, args, kwargs, owner=self
        )

    def compute_output_shape(self, input_shape: Any) -> Any:
        """Output shape(s) for `input_shape`, inferred by tracing `call`."""
        specs = specs_from_shapes(input_shape, self.compute_dtype)
        if not self.built:
            self._build_symbolic(specs)
        out = shape_inference.compute_output_spec(
            self.__call__, (specs,), {}, owner=self
        )
        return tree.map_structure(lambda t: t.shape, out)

    # -- losses ------------------------------------------------------------

    def add_loss(self, loss: Any) -> None:
        """Add a scalar loss (e.g. from `call`) to `layer.losses`; ignored
        in a symbolic call, as in Keras (a meta tensor has no data)."""
        scope = get_stateless_scope()  # Keras: it collects, not the layer
        if scope is not None and scope.collect_losses:
            scope.add_loss(loss)
        elif scope is None and call_context.state.trace is None:
            self._losses.append(loss)

    @property
    def losses(self) -> list:
        """Losses added in the last call, plus weight regularization,
        of this layer and every sublayer."""
        layers = [m for m in self.modules() if isinstance(m, Layer)]
        return [
            x
            for m in layers
            for x in m._losses + listing.regularization_losses(m)
        ]

    # -- config ------------------------------------------------------------

    def get_config(self) -> dict:
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _serialize_policy(self._dtype_policy),
        }
        if self.activity_regularizer is not None:
            from lamina import regularizers

            config["activity_regularizer"] = regularizers.serialize(
                self.activity_regularizer
            )
        if type(self).get_config is Layer.get_config:
            config.update(self._auto_config())
        return config

    def _auto_config(self) -> dict:
        arguments = getattr(self, "_init_arguments", None) or {}
        extra = {k: v for k, v in arguments.items() if k not in config_keys()}
        for key, value in extra.items():
            if not _is_plain(value):
                raise NotImplementedError(
                    f"Layer {type(self).__name__} was created with a "
                    f"non-serializable argument {key}={format_value(value)}; "
                    "implement `get_config()` so it can be saved."
                )
        return extra

    @classmethod
    def from_config(cls, config: dict) -> Any:
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = policies.get(config["dtype"])
        return cls(**config)

    def get_build_config(self) -> dict | None:
        if self._build_shapes is None:
            return None
        return {"input_shape": as_build_shape(self._build_shapes)}

    def build_from_config(self, config: dict) -> None:
        shape = config.get("input_shape")
        if shape is not None and not self.built:
            self._build_symbolic(specs_from_shapes(shape, self.compute_dtype))

    def extra_repr(self) -> str:
        return f"name={self.name}"


def config_keys() -> set:
    return {"name", "trainable", "dtype", "autocast", "activity_regularizer"}


def _is_plain(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(
            isinstance(k, str) and _is_plain(v) for k, v in value.items()
        )
    return False


def _serialize_policy(policy: policies.DTypePolicy) -> dict:
    from lamina import dtype_policies  # quantized ones name their class

    return dtype_policies.serialize(policy)


def _batch_shape_from_kwargs(kwargs: dict):
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])
    if kwargs.get("input_shape") is not None:
        shape = kwargs["input_shape"]
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        return (kwargs.get("batch_size"),) + shape
    if kwargs.get("input_dim") is not None:
        return (kwargs.get("batch_size"), kwargs["input_dim"])
    return None


def _register_meta_weights(trace: Any, layer: Layer) -> None:
    """Give the trace meta copies of `layer`'s own weights and those of its
    plain torch submodules (sublayers register theirs when called)."""
    trace.register(layer)
    for module in layer.modules():
        if module is not layer and not isinstance(module, Layer):
            trace.register(module)


def _has_non_float(args: tuple) -> bool:
    """Whether any tensor in `args` is bool or integer (one float tensor,
    the common call, is answered without walking a structure)."""
    if len(args) == 1 and isinstance(args[0], torch.Tensor):
        return not (args[0].is_floating_point() or args[0].is_complex())
    return any(
        isinstance(x, torch.Tensor)
        and not (x.is_floating_point() or x.is_complex())
        for x in tree.flatten(args)
    )


def _device_type(args: tuple) -> str:
    for x in tree.flatten(args):
        if isinstance(x, torch.Tensor):
            return x.device.type
    return "cpu"


def _raise_with_context(layer: Layer, error: Exception, args, kwargs):
    if getattr(error, "_lamina_context", False) or (
        not config.is_traceback_filtering_enabled()
    ):
        raise error
    received = ", ".join(
        [f"inputs={format_value(a)}" for a in args[:1]]
        + [
            f"{k}={format_value(v)}"
            for k, v in kwargs.items()
            if k != "mask" or v is not None
        ]
    )
    message = (
        f"Exception encountered when calling {type(layer).__name__}.call() "
        f"(layer '{layer.name}').\n\n{error}\n\nArguments received by "
        f"{type(layer).__name__}.call(): {received}"
    )
    try:
        new = type(error)(message)
    except Exception:  # noqa: BLE001 - exotic constructors keep the original
        setattr(error, "_lamina_context", True)
        raise error  # noqa: B904 - the original error, unchanged
    setattr(new, "_lamina_context", True)
    raise new.with_traceback(error.__traceback__) from error
