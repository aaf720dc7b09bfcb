import json
import math

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.core.einsum_dense import EinsumDense
from tests.keras_oracle import keras, to_numpy

CASES = [
    ("ab,bc->ac", 4, "c", (3,)),
    ("ab,bc->ac", (5,), None, (2,)),
    ("abc,cd->abd", (None, 6), "d", (4, 3)),
    ("abc,cde->abde", (None, 2, 5), "de", (3, 4)),
    ("abc,cde->abde", (3, 2, 5), "be", (3, 4)),
    ("...b,bc->...c", 4, "c", (2, 3, 5)),
    ("...b,bc->...c", 4, None, (5,)),
    ("abc...,cd->abd...", (3, 4), "d", (3, 2, 2, 3)),
    ("abcd,ce->abed", (4, 2, 6), "e", (4, 3, 6)),
    # MultiHeadAttention's projections: one `addmm` with the bias fused.
    ("abcd,cde->abe", (None, 5), "e", (3, 2, 4)),
    ("abc,cde->abde", (None, 2, 5), "d", (3, 4)),
]


def _pair(equation, output_shape, bias_axes, input_shape, **kwargs):
    k = keras.layers.EinsumDense(
        equation, output_shape, bias_axes=bias_axes, **kwargs
    )
    m = EinsumDense(equation, output_shape, bias_axes=bias_axes, **kwargs)
    k.build((None,) + input_shape)
    m.build((None,) + input_shape)
    assert [w.shape for w in m.get_weights()] == [
        tuple(w.shape) for w in k.get_weights()
    ]
    m.set_weights(k.get_weights())
    return k, m


@pytest.mark.parametrize("equation,output_shape,bias_axes,input_shape", CASES)
def test_matches_keras(rng, equation, output_shape, bias_axes, input_shape):
    k, m = _pair(
        equation, output_shape, bias_axes, input_shape, activation="tanh"
    )
    x = rng.normal(size=(2,) + input_shape).astype("float32")
    k_out, m_out = k(torch.tensor(x)), m(torch.tensor(x))
    np.testing.assert_allclose(to_numpy(m_out), to_numpy(k_out), atol=1e-5)
    # Keras's symbolic shape leaves some known sizes unknown (and reverses
    # several '...' axes); lamina's traced shape equals the real one.
    symbolic = EinsumDense(equation, output_shape, bias_axes=bias_axes)(
        lamina.Input(input_shape)
    )
    assert symbolic.shape == (None,) + tuple(k_out.shape[1:])


def test_unknown_output_size_taken_from_input():
    # Keras cannot size this bias ((None, 1, 5)); the size of 'b' is known
    # from the input, so lamina uses it.
    layer = EinsumDense("abc,cde->abde", (None, 2, 5), bias_axes="be")
    assert layer(torch.ones(2, 3, 4)).shape == (2, 3, 2, 5)
    assert tuple(layer.bias.shape) == (3, 1, 5)


def test_kernel_initializer_uses_einsum_fans():
    layer = EinsumDense(
        "abc,cde->abde", (None, 4, 6), kernel_initializer="glorot_uniform"
    )
    layer.build((None, 3, 8))
    # fan_in = 8 (axis c), fan_out = 4 * 6 (axes d, e).
    limit = math.sqrt(6.0 / (8 + 24))
    kernel = layer.kernel.detach()
    assert float(kernel.abs().max()) <= limit
    assert float(kernel.abs().max()) > 0.8 * limit
    assert (
        layer.get_config()["kernel_initializer"]["config"]["input_axes"] is None
    )


def test_seeded_initializer_is_reproducible():
    def kernel():
        layer = EinsumDense(
            "ab,bc->ac",
            3,
            kernel_initializer=(lamina.initializers.GlorotUniform(seed=7)),
        )
        layer.build((None, 4))
        return layer.kernel.detach()

    assert torch.equal(kernel(), kernel())


def test_sequential_with_input_shape():
    model = lamina.Sequential(
        [EinsumDense("abc,cd->abd", (None, 3), input_shape=(5, 2))]
    )
    assert model.output_shape == (None, 5, 3)
    assert model.count_params() == 6


def test_config_matches_keras_and_round_trips():
    kwargs = dict(
        equation="abc,cd->abd",
        output_shape=(None, 4),
        bias_axes="d",
        activation="relu",
        kernel_regularizer="l2",
        bias_constraint="non_neg",
        activity_regularizer="l1",
    )
    k, m = keras.layers.EinsumDense(**kwargs), EinsumDense(**kwargs)
    k_config, m_config = k.get_config(), m.get_config()
    k_config.pop("name"), m_config.pop("name")
    assert m_config == k_config
    config = json.loads(json.dumps(m.get_config()))
    clone = EinsumDense.from_config(config)
    assert json.loads(json.dumps(clone.get_config())) == config
    keras.layers.EinsumDense.from_config(config)


def test_input_rank_fixed_after_build():
    layer = EinsumDense("ab,bc->ac", 2)
    layer(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"ndim=2"):
        layer(torch.ones(2, 3, 1))


@pytest.mark.parametrize(
    "equation", ["ab,bc", "a.b,bc->ac", "ab,bc->ac,d", 3, "a...,bc->ac..."]
)
def test_invalid_equation(equation):
    with pytest.raises(ValueError, match=r"`equation` of EinsumDense"):
        EinsumDense(equation, 3)


@pytest.mark.parametrize(
    "args,input_shape,match",
    [
        (("ab,bc->ac", (3, 4)), (5,), r"`output_shape` must give 1 size"),
        (
            ("abc,cd->abd", (6, 4)),
            (5, 3),
            r"do not match at shared dimension "
            r"'b': input size 5, output size 6",
        ),
        (
            ("ab,bc->ac", 4, "d"),
            (5,),
            r"bias_axes must name labels of the "
            r"output 'ac'. Received: bias_axes='d'",
        ),
        (("ab,bcz->ac", 4), (5,), r"dimension\(s\) \['z'\].*fully specified"),
        (("ab,bc->acz", (4, 2)), (5,), r"dimension\(s\) \['z'\] of"),
        (("abc,cd->abd", 4), (5,), r"does not match inputs of rank 2"),
        (("abc,cd->abd", (None, None)), (5, 3), r"cannot size the weights"),
    ],
)
def test_shape_errors(args, input_shape, match):
    layer = EinsumDense(*args[:2], bias_axes=args[2] if len(args) > 2 else None)
    with pytest.raises(
        ValueError,
        match=r"'einsum_dense.*' \(EinsumDense\)"
        r": .*" + match,
    ):
        layer(lamina.Input(input_shape))


def test_bad_bias_axes_and_lora():
    with pytest.raises(ValueError, match=r"`bias_axes` of EinsumDense"):
        EinsumDense("ab,bc->ac", 3, bias_axes=1)
    with pytest.raises(ValueError, match=r"Received: lora_rank=4"):
        EinsumDense("ab,bc->ac", 3, lora_rank=4)


def test_extra_repr():
    text = repr(EinsumDense("ab,bc->ac", 3, bias_axes="c"))
    assert "equation='ab,bc->ac', output_shape=(3,), bias_axes='c'" in text


@pytest.mark.parametrize(
    "equation,expected",
    [
        ("ab,bc->ac", 1),
        ("abc,cde->abde", 1),
        ("abcd,cde->abe", 2),
        ("...b,bc->...c", 1),
        ("abc,cd->acd", 0),  # reordered output
        ("abcd,ce->abed", 0),  # contracted axis not trailing
        ("abc,bcd->abd", 0),  # shared axis kept in the output
        ("abc...,cd->abd...", 0),  # trailing ellipsis
    ],
)
def test_contracted_axes(equation, expected):
    from lamina.layers.core.einsum_equation import contracted_axes

    assert contracted_axes(equation) == expected


@pytest.mark.parametrize("equation,output_shape,bias_axes,input_shape", CASES)
def test_gradients_match_keras(
    rng, equation, output_shape, bias_axes, input_shape
):
    """The matrix-product path (and the einsum one) give Keras's
    gradients for the input and every weight."""
    k, m = _pair(equation, output_shape, bias_axes, input_shape)
    x = rng.normal(size=(2,) + input_shape).astype("float32")
    grads = []
    for layer in (k, m):
        inputs = torch.tensor(x, requires_grad=True)
        out = layer(inputs)
        weights = [w.value if hasattr(w, "value") else w for w in layer.weights]
        grads.append(torch.autograd.grad((out * out).sum(), [inputs] + weights))
    for ours, theirs in zip(grads[1], grads[0]):
        np.testing.assert_allclose(
            to_numpy(ours), to_numpy(theirs), rtol=1e-5, atol=1e-5
        )
