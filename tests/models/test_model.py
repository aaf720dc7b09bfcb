"""Subclassed models."""

import numpy as np
import torch

import lamina
from tests.keras_oracle import keras, to_numpy


def _mlp_class(lib):
    class MLP(lib.Model):
        def __init__(self):
            super().__init__()
            self.hidden = lib.layers.Dense(6, activation="relu")
            self.blocks = [lib.layers.Dense(6), lib.layers.Dense(6)]
            self.out = lib.layers.Dense(2)

        def call(self, inputs):
            x = self.hidden(inputs)
            for block in self.blocks:
                x = block(x)
            return self.out(x)

    return MLP


def test_subclassed_model_matches_keras(rng):
    k_model, l_model = _mlp_class(keras)(), _mlp_class(lamina)()
    x = rng.normal(size=(3, 4)).astype("float32")
    k_out = k_model(x)
    l_model(x)
    assert len(l_model.weights) == len(k_model.weights) == 8
    l_model.set_weights(k_model.get_weights())
    np.testing.assert_allclose(
        l_model(x).detach().numpy(), to_numpy(k_out), rtol=1e-5, atol=1e-6
    )
    assert len(l_model.layers) == len(k_model.layers) == 4


def test_build_with_shape_then_summary(capsys):
    model = _mlp_class(lamina)()
    model.build((None, 4))
    hidden, blocks, out = 4 * 6 + 6, 2 * (6 * 6 + 6), 6 * 2 + 2
    assert model.built and model.count_params() == hidden + blocks + out
    model.summary()
    assert "Total params" in capsys.readouterr().out


def test_state_dict_and_torch_optim_work():
    model = _mlp_class(lamina)()
    model(torch.ones(1, 4))
    keys = set(model.state_dict())
    assert "hidden.kernel" in keys and "blocks.0.kernel" in keys
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    before = model.out.kernel.detach().clone()
    model(torch.ones(2, 4)).sum().backward()
    opt.step()
    assert not torch.equal(before, model.out.kernel.detach())


class _NoTrainingArg(lamina.Model):
    """A subclassed model whose `call` takes no `training` argument."""

    def __init__(self):
        super().__init__()
        self.dense = lamina.layers.Dense(8)
        self.dropout = lamina.layers.Dropout(0.5)

    def call(self, x):
        return self.dropout(self.dense(x))


def test_call_without_training_argument_fits_and_passes_training_down():
    model = _NoTrainingArg()
    x = np.ones((16, 4), "float32")
    inference = model(x).detach().numpy()
    assert np.array_equal(inference, model(x, training=False).detach().numpy())
    trained = model(x, training=True).detach().numpy()
    assert (trained == 0).any() and not (inference == 0).all()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, np.zeros((16, 8), "float32"), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert model.predict(x, verbose=0).shape == (16, 8)
    assert np.isfinite(
        model.evaluate(x, np.zeros((16, 8), "float32"), verbose=0)
    )


def _api_facts(lib):
    rng = np.random.default_rng(0)
    x = rng.random((20, 4)).astype("float32")
    y = rng.random((20, 2)).astype("float32")
    inputs = lib.Input((4,), name="inp")
    model = lib.Model(
        inputs,
        lib.layers.Dense(2, name="o")(lib.layers.Dense(3, name="h")(inputs)),
    )
    model.compile(
        "sgd", "mse", metrics=["mae", lib.metrics.RootMeanSquaredError()]
    )
    facts = {"names_before_fit": model.metrics_names}
    history = model.fit(x, y, epochs=1, verbose=0)
    model.get_layer("h").trainable = False
    facts.update(
        names_after_fit=model.metrics_names,
        history_params=sorted(history.params),
        evaluate_keys=sorted(model.evaluate(x, y, verbose=0, return_dict=True)),
        evaluate_len=len(model.evaluate(x, y, verbose=0)),
        train_on_batch=sorted(model.train_on_batch(x, y, return_dict=True)),
        predict_on_batch=type(model.predict_on_batch(x)).__name__,
        by_index=model.get_layer(index=1).name,
        trainable=len(model.trainable_weights),
        non_trainable=len(model.non_trainable_weights),
        params=model.count_params(),
        shapes=(str(model.input_shape), str(model.output_shape)),
        output_shape=tuple(model.compute_output_shape((None, 4))),
        loss=model.loss,
        iterations=int(model.optimizer.iterations),
    )
    return facts


def test_model_api_facts_match_keras():
    assert _api_facts(lamina) == _api_facts(keras)
