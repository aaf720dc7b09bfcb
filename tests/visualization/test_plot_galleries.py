"""The three gallery plots: a figure of the expected grid (matplotlib's
Agg backend), the images drawn as Keras draws them, saving to a file."""

import matplotlib
import numpy as np
import pytest

from lamina.visualization import plot_bounding_box_gallery
from lamina.visualization import plot_image_gallery
from lamina.visualization import plot_segmentation_mask_gallery
from tests.keras_oracle import keras

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    plt.close("all")
    yield
    plt.close("all")


def _shown():
    """The images and titles of the open figure, axis by axis."""
    axes = plt.gcf().axes
    return [a.images[0].get_array() for a in axes], [
        a.get_title() for a in axes
    ]


def test_image_gallery_grid_titles_and_value_range():
    images = np.random.default_rng(0).random((5, 6, 6, 3))
    plot_image_gallery(
        images,
        y_true=[0, 1, 0, 1, 0],
        y_pred=[1, 1, 0, 0, 1],
        label_map={0: "cat"},
        value_range=(0, 1),
        rows=2,
        show=False,
    )
    shown, titles = _shown()
    assert len(shown) == 4  # rows=2, cols=5 // 2
    np.testing.assert_array_equal(shown[1], (images[1] * 255).astype("uint8"))
    assert titles[0] == "Label: cat  Pred: Unknown"
    keras.visualization.plot_image_gallery(
        images,
        y_true=[0, 1, 0, 1, 0],
        y_pred=[1, 1, 0, 0, 1],
        label_map={0: "cat"},
        value_range=(0, 1),
        rows=2,
        show=False,
    )
    keras_shown, keras_titles = _shown()
    assert titles == keras_titles
    for a, b in zip(shown, keras_shown):
        np.testing.assert_array_equal(a, b)


def test_image_gallery_channels_first_and_path(tmp_path):
    images = np.random.default_rng(1).integers(0, 256, (1, 3, 5, 4))
    plot_image_gallery(images, data_format="channels_first", show=False)
    (shown,), _ = _shown()
    np.testing.assert_array_equal(shown, images[0].transpose(1, 2, 0))
    plt.close()
    path = tmp_path / "gallery.png"
    plot_image_gallery(images, data_format="channels_first", path=str(path))
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert not plt.get_fignums()


def test_image_gallery_errors():
    images = np.zeros((2, 4, 4, 3))
    with pytest.raises(ValueError, match="either `path`"):
        plot_image_gallery(images, path="x.png", show=True)
    with pytest.raises(ValueError, match="`label_map` must also"):
        plot_image_gallery(images, y_true=[0, 1], show=False)
    with pytest.raises(ValueError, match=r"images.shape=\(4, 4, 3\)"):
        plot_image_gallery(images[0], show=False)


def test_bounding_box_gallery_matches_keras():
    rng = np.random.default_rng(2)
    images = rng.integers(0, 256, (2, 24, 24, 3)).astype("float32")
    y_true = {
        "boxes": np.array([[[2, 2, 12, 12]], [[4, 4, 20, 18]]]),
        "labels": np.array([[0], [1]]),
    }
    y_pred = {
        "boxes": np.array([[[3, 1, 11, 14]], [[5, 6, 19, 20]]]),
        "labels": np.array([[1], [1]]),
    }
    kwargs = dict(
        y_true=y_true,
        y_pred=y_pred,
        class_mapping={0: "a", 1: "b"},
        legend=True,
        rows=1,
        cols=2,
        show=False,
    )
    plot_bounding_box_gallery(images, "xyxy", **kwargs)
    shown, _ = _shown()
    legend_texts = [t.get_text() for t in plt.gcf().legends[0].get_texts()]
    assert legend_texts == ["Ground Truth", "Prediction"]
    keras.visualization.plot_bounding_box_gallery(images, "xyxy", **kwargs)
    keras_shown, _ = _shown()
    assert len(shown) == 2
    for a, b in zip(shown, keras_shown):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="only pass `legend` OR"):
        plot_bounding_box_gallery(
            images, "xyxy", legend=True, legend_handles=[1], show=False
        )


def test_segmentation_mask_gallery_matches_keras():
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (2, 5, 5, 3)).astype("float32")
    y_true = rng.integers(0, 3, (2, 5, 5, 1))
    y_pred = rng.integers(0, 3, (2, 5, 5, 1))
    kwargs = dict(y_true=y_true, y_pred=y_pred, alpha=0.5, show=False)
    plot_segmentation_mask_gallery(images, 3, **kwargs)
    shown, _ = _shown()
    keras.visualization.plot_segmentation_mask_gallery(images, 3, **kwargs)
    keras_shown, _ = _shown()
    assert len(shown) == 6  # a row per image: image, true, predicted
    for a, b in zip(shown, keras_shown):
        np.testing.assert_array_equal(a, b)


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"lamina\[visualization\]"):
        plot_image_gallery(np.zeros((1, 4, 4, 3)), show=False)
