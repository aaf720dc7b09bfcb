"""`Layer`: Keras's layer contract on a `torch.nn.Module` body.

Lifecycle (see `engine/README.md`): `__init__` stores configuration,
`build(input_shape)` creates weights with `add_weight`, `call` is the math,
`get_config` round-trips. `__call__` runs Keras's phases, each a named
helper; the computation itself goes through `nn.Module.__call__`, so torch
hooks, profilers, DDP and `torch.compile` see an ordinary module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from lamina.engine import call_context, name_scope, naming, remat
from lamina.engine import layer_config as configs
from lamina.engine import layer_inputs, layer_losses, lean_call
from lamina.engine import quantization_hooks as quant
from lamina.engine import shape_inference, weight_slots
from lamina.engine import weight_listing as listing
from lamina.engine import weights as weight_store
from lamina.engine import dtype_policy as policies
from lamina.engine.base_operation import Operation
from lamina.engine.build_shapes import as_build_shape
from lamina.engine.build_shapes import specs_from_shapes as specs_from_shapes
from lamina.engine.input_spec import assert_input_compatibility
from lamina.engine.layer_config import config_keys as config_keys
from lamina.engine.layer_hooks import call_signature_info, mark_built
from lamina.engine.layer_hooks import raise_with_context as _raise_with_context
from lamina.engine.layer_hooks import record_init_args
from lamina.engine.layer_inputs import device_type as _device_type
from lamina.engine.layer_inputs import has_non_float as _has_non_float
from lamina.engine.node import Node
from lamina.engine.operation import any_symbolic
from lamina.engine.symbolic import SymbolicTensor
from lamina.errors import MISSING_SUPER_INIT
from lamina.utils import tree
from lamina.utils.dtype_utils import to_torch_dtype


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
            setattr(cls, "__init__", record_init_args(cls.__init__))
        if "build" in cls.__dict__:
            setattr(cls, "build", mark_built(cls.build))
        cls._call_info = call_signature_info(cls)

    def __init__(
        self,
        *,
        activity_regularizer: Any = None,
        trainable: bool = True,
        dtype: Any = None,
        autocast: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        configs.check_init_arguments(self, name, kwargs)
        nn.Module.__init__(self)
        # Keras semantics: a layer runs in inference mode unless training
        # is asked for; `fit` (or `module.train()`) turns it on.
        self.training = False
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
        # An InputSpec, a list of them, or None (set by subclasses).
        self.input_spec: Any = None
        self.supports_masking = (
            type(self).compute_mask is not Layer.compute_mask
        )
        self._losses: list[Any] = []
        self._inbound_nodes, self._outbound_nodes = [], []
        self._remat_mode = remat.get_current_remat_mode()  # as Keras: at init
        self._build_shapes = None
        self._build_device: torch.device | None = None
        self._weight_info: weight_store.WeightInfo = {}
        from lamina import regularizers

        self.activity_regularizer = regularizers.get(activity_regularizer)
        # Any: an InputLayer's is always a tuple.
        self._batch_shape: Any = configs.batch_shape_from_kwargs(kwargs)
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
    def input(self) -> Any:
        return self._node_tensors("input")

    @property
    def output(self) -> Any:
        return self._node_tensors("output")

    def _node_tensors(self, which: str) -> Any:
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

    def call(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `call()` method "
            "implemented."
        )

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if self._is_quantized:  # see quantization_hooks.py
            return quant.forward(self, *args, **kwargs)
        if self._remat_mode is None:
            return self.call(*args, **kwargs)
        return remat.layer_call(self, args, kwargs)

    def compute_mask(self, inputs: Any, previous_mask: Any) -> Any:
        return previous_mask

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if lean_call.accepts(self, args, kwargs):  # the common eager call
            return lean_call.lean_call(self, args[0], kwargs)
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

    # Input conversion and casting: engine/layer_inputs.py.
    _convert_inputs = layer_inputs.convert_inputs
    _convert_one = layer_inputs.convert_one
    _promotes_inputs = layer_inputs.promotes_inputs
    _promote_one = layer_inputs.promote_one
    _to_compute_dtype = layer_inputs.to_compute_dtype

    def _maybe_build(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
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

    def _resolve_training(self, kwargs: dict[str, Any]) -> Any:
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

    def _propagate_mask(
        self,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        info: dict[str, Any],
    ) -> Any:
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

    def _call_module(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
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

    def _set_output_mask(
        self, args: tuple[Any, ...], outputs: Any, previous: Any
    ) -> None:
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

    def _symbolic_call(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
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

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
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

    # -- losses: engine/layer_losses.py -----------------------------------

    add_loss = layer_losses.add_loss
    losses = property(layer_losses.losses)

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Unpickling and deepcopy do not run `add_weight`: see
        # layer_losses.py. (torch's `__setstate__` has no annotations.)
        super().__setstate__(state)  # type: ignore[no-untyped-call]
        if layer_losses.can_contribute(self):
            layer_losses.mark_source(self)

    # -- config ------------------------------------------------------------

    get_config = configs.get_config
    _auto_config = configs.auto_config
    get_build_config = configs.get_build_config
    build_from_config = configs.build_from_config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        return cls(**configs.from_config_arguments(config))

    def extra_repr(self) -> str:
        return f"name={self.name}"


def _register_meta_weights(trace: Any, layer: Layer) -> None:
    """Give the trace meta copies of `layer`'s own weights and those of its
    plain torch submodules (sublayers register theirs when called)."""
    trace.register(layer)
    for module in layer.modules():
        if module is not layer and not isinstance(module, Layer):
            trace.register(module)
