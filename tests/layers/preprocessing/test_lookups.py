"""`StringLookup` and `IntegerLookup` against Keras 3: Keras needs
TensorFlow for them, so the expected outputs, vocabularies, idf weights and
configs come from Keras 3.15.1 + TensorFlow 2.21 (`keras_tf_goldens.py`);
bad input, files and data pipelines are checked here."""

import pickle

import numpy as np
import pytest
import torch

from lamina.layers import IntegerLookup, StringLookup
from tests.layers.preprocessing.goldens_helper import (
    BY_ID,
    GOLDENS,
    build,
    call,
    case_ids,
    check_case,
)


@pytest.mark.parametrize("case_id", case_ids("sl_") + case_ids("il_"))
def test_matches_keras(case_id):
    check_case(case_id)


@pytest.mark.parametrize(
    "case_id", ["sl_basic", "sl_oov3", "sl_count", "sl_invert"]
)
def test_python_lists_give_the_same(case_id):
    check_case(case_id, as_numpy=False)


def test_bytes_and_object_arrays():
    layer = StringLookup(vocabulary=["a", "b", "é"])
    expected = [[1, 3, 0]]
    for x in (
        np.array([[b"a", "é".encode(), b"q"]]),
        np.array([["a", "é", "q"]], dtype=object),
        [["a", "é", "q"]],
    ):
        assert layer(x).tolist() == expected


def test_integer_inputs_keep_the_device_and_accept_tensors():
    layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
    out = layer(torch.tensor([[12, 5], [42, 36]]))
    assert out.dtype == torch.int64 and out.tolist() == [[1, 0], [4, 2]]


def test_scalar_input():
    assert StringLookup(vocabulary=["a", "b"])("b").tolist() == 2
    assert IntegerLookup(vocabulary=[3, 4])(4).tolist() == 2


def test_adapt_on_batches_and_steps():
    layer = StringLookup()
    layer.adapt(
        iter(
            [
                np.array([["a", "b"]]),
                np.array([["b", "c"]]),
                np.array([["z", "z"]]),
            ]
        ),
        steps=2,
    )
    assert layer.get_vocabulary() == ["[UNK]", "b", "c", "a"]


def test_set_vocabulary_from_a_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\n", encoding="utf-8")
    layer = StringLookup(vocabulary=str(path))
    assert layer(["c", "q"]).tolist() == [3, 0]
    assert layer.get_config()["vocabulary"] is None


# -- bad input -----------------------------------------------------------


def test_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"`output_mode` of StringLookup.*"
        r"one of .*Received: output_mode='bogus'",
    ):
        StringLookup(output_mode="bogus")
    with pytest.raises(ValueError, match=r"`sparse` of IntegerLookup"):
        IntegerLookup(sparse=True, output_mode="count")
    with pytest.raises(ValueError, match=r"`num_oov_indices` .*int >= 0"):
        StringLookup(num_oov_indices=-1)
    with pytest.raises(
        ValueError,
        match=r"`output_mode` .*'int' when "
        r"`invert=True`",
    ):
        StringLookup(invert=True, output_mode="count")
    with pytest.raises(
        ValueError,
        match=r"`oov_method` of IntegerLookup.*"
        r"'farmhash' when `salt`",
    ):
        IntegerLookup(salt=3)
    with pytest.raises(ValueError, match=r"`idf_weights` of StringLookup"):
        StringLookup(vocabulary=["a"], output_mode="tf_idf")
    with pytest.raises(ValueError, match=r"`salt` of StringLookup"):
        StringLookup(salt="x")


def test_bad_vocabularies():
    with pytest.raises(
        ValueError,
        match=r"`vocabulary` of StringLookup: "
        r"expected unique terms \(repeated: \['a'\]\)",
    ):
        StringLookup(vocabulary=["a", "b", "a"])
    with pytest.raises(
        ValueError,
        match=r"reserved mask_token '' is in "
        r"`vocabulary`",
    ):
        StringLookup(vocabulary=["a", ""], mask_token="")
    with pytest.raises(ValueError, match=r"reserved oov_token '\[UNK\]'"):
        StringLookup(vocabulary=["a", "[UNK]"], invert=True)
    with pytest.raises(ValueError, match=r"reserved mask_token 0"):
        IntegerLookup(vocabulary=[1, 0], mask_token=0)
    with pytest.raises(ValueError, match=r"at most max_tokens=3"):
        StringLookup(vocabulary=["a", "b", "c"], max_tokens=3)
    with pytest.raises(ValueError, match=r"non-empty vocabulary"):
        StringLookup(vocabulary=[])
    with pytest.raises(ValueError, match=r"existing text file"):
        StringLookup(vocabulary="/no/such/file.txt")


def test_call_before_a_vocabulary():
    with pytest.raises(
        ValueError,
        match=r"StringLookup 'sl' has no "
        r"vocabulary: pass `vocabulary=`.*adapt",
    ):
        StringLookup(name="sl")(["a"])
    with pytest.raises(ValueError, match=r"IntegerLookup .* no vocabulary"):
        IntegerLookup(output_mode="count")([1])


def test_non_string_input_to_a_string_layer():
    layer = StringLookup(vocabulary=["a"], name="sl")
    with pytest.raises(
        TypeError,
        match=r"StringLookup 'sl' expects string "
        r"inputs.*Received: inputs of dtype int64",
    ):
        layer(np.array([1, 2]))
    with pytest.raises(TypeError, match=r"expects string inputs.*tensor"):
        layer(torch.tensor([1]))
    with pytest.raises(TypeError, match=r"holding int value 3"):
        layer([["a", 3]])
    with pytest.raises(
        TypeError,
        match=r"IntegerLookup .* expects integer "
        r"inputs.*<U1",
    ):
        IntegerLookup(vocabulary=[1])(np.array(["a"]))


def test_oov_with_no_oov_indices():
    layer = StringLookup(vocabulary=["a"], num_oov_indices=0)
    with pytest.raises(ValueError, match=r"found OOV values \['q'\]"):
        layer(["a", "q"])


def test_adapt_after_a_vocabulary():
    with pytest.raises(
        ValueError,
        match=r"cannot adapt a layer whose "
        r"vocabulary was set",
    ):
        StringLookup(vocabulary=["a"]).adapt(["a", "b"])


# -- pipelines -----------------------------------------------------------


class _Strings(torch.utils.data.Dataset):
    def __init__(self, layer):
        self.layer = layer

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return self.layer(np.array([["the", "cat", "zz"][i]]))


@pytest.mark.parametrize("case_id", ["sl_adapt_tfidf", "il_oov3_farm"])
def test_pickle_and_dataloader_workers(case_id):
    case = BY_ID[case_id]
    layer = build(case)
    again = pickle.loads(pickle.dumps(layer))
    np.testing.assert_allclose(
        call(again, case).numpy(), GOLDENS[case_id]["output"], rtol=1e-6
    )
    lookup = build(BY_ID["sl_adapt"])
    loader = torch.utils.data.DataLoader(
        _Strings(lookup), batch_size=3, num_workers=1
    )
    (batch,) = list(loader)
    assert batch.tolist() == [[1], [2], [0]]
