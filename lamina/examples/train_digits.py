"""The README's main job: train an MLP on the bundled 8×8 digits.

    python -m lamina.examples.train_digits [--epochs 30] [--out digits.keras]

Written as ordinary Keras 3 code with `import lamina as keras`.
"""

from __future__ import annotations

from typing import Any

import argparse

import numpy as np

import lamina as keras


def build_model() -> keras.Model:
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def main(argv: Any = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--out", default="digits.keras")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    keras.utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
    x_train = x_train.astype("float32") / 16.0
    x_test = x_test.astype("float32") / 16.0

    model = build_model()
    model.summary()
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(
        x_train,
        y_train,
        batch_size=args.batch_size,
        epochs=args.epochs,
        validation_split=0.1,
        verbose=2,
    )
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test loss: {loss:.4f}")
    print(f"Test accuracy: {accuracy:.4f}")
    predictions = model.predict(x_test[:5], verbose=0)
    if args.out:
        # A `.keras` archive that Keras 3 also loads; reloaded here to show
        # that it predicts the same.
        model.save(args.out)
        reloaded = keras.saving.load_model(args.out)
        same = np.allclose(
            reloaded.predict(x_test[:5], verbose=0), predictions, atol=1e-6
        )
        print(
            f"Saved the model to {args.out} (reloaded, same predictions:"
            f" {same})"
        )
    print(
        "First predictions:",
        np.argmax(predictions, axis=1).tolist(),
        "labels:",
        y_test[:5].tolist(),
    )
    return accuracy


if __name__ == "__main__":
    main()
