"""Progbar output against Keras 3's, on the same updates and the same clock."""

import io
import re
import sys
import types

import numpy as np
import pytest

from tests.keras_oracle import keras  # noqa: F401  (sets the torch backend)

from keras.src.utils import progbar as keras_progbar  # noqa: E402

from lamina.utils import progbar as lamina_progbar  # noqa: E402
from lamina.utils.progbar import Progbar  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class FakeClock:
    def __init__(self, start=1000.0):
        self.now = start

    def __call__(self):
        return self.now


class TTY(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(lamina_progbar, "_now", fake)
    monkeypatch.setattr(keras_progbar, "time", types.SimpleNamespace(time=fake))
    return fake


def run(bar_cls, updates, clock, stdout, dt=0.003, **kwargs):
    """Drive one bar through `updates` [(current, values, finalize)]."""
    clock.now = 1000.0
    old = sys.stdout
    sys.stdout = stdout
    try:
        bar = bar_cls(**kwargs)
        for current, values, finalize in updates:
            clock.now += dt
            bar.update(current, values, finalize=finalize)
    finally:
        sys.stdout = old
    return stdout.getvalue()


def final_line(keras_output):
    """What a terminal shows last: the text after the last redraw."""
    text = ANSI.sub("", keras_output).replace("\b", "")
    lines = [s.rstrip() for s in re.split(r"[\r\n]", text) if s.strip()]
    return lines[-1]


def epoch_updates(steps=12):
    updates = [
        (i, [("accuracy", 0.5 + i / 40), ("loss", 1.0 / i)], False)
        for i in range(1, steps + 1)
    ]
    updates.append((steps, [("accuracy", 0.8125), ("loss", 0.5519)], True))
    return updates


def test_verbose1_terminal_output_matches_keras_exactly(clock):
    kwargs = dict(target=12, interval=0.0, stateless_metrics=set())
    updates = epoch_updates()
    ours = run(Progbar, updates, clock, TTY(), **kwargs)
    theirs = run(keras_progbar.Progbar, updates, clock, TTY(), **kwargs)
    assert ours == theirs
    assert ours.count("\r") == 13


def test_verbose1_not_a_terminal_prints_only_the_final_line(clock):
    kwargs = dict(target=12, stateless_metrics=set())
    updates = epoch_updates()
    ours = run(Progbar, updates, clock, io.StringIO(), **kwargs)
    theirs = run(keras_progbar.Progbar, updates, clock, io.StringIO(), **kwargs)
    assert "\r" not in ours and "\x1b" not in ours and "\b" not in ours
    assert ours == final_line(theirs) + "\n"
    assert ours == (
        "12/12 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - accuracy: 0.8125 "
        "- loss: 0.5519\n"
    )


def test_verbose1_real_clock_matches_keras_with_timing_masked(capsys):
    def mask(text):
        text = re.sub(r"\d+(\.\d+)?(s|ms|us)/step", "T/step", text)
        return re.sub(r" \d+s ", " Ns ", text)

    for bar_cls in (Progbar, keras_progbar.Progbar):
        bar = bar_cls(target=3, stateful_metrics=["acc"])
        for i in range(1, 4):
            bar.update(i, [("loss", float(i)), ("acc", 0.25 * i)])
    ours, theirs = capsys.readouterr().out.split("\n", 1)
    assert mask(ours) == mask(final_line(theirs))
    # A final update shows its values as given, as in Keras.
    assert "loss: 3.0000" in ours and "acc: 0.7500" in ours


def test_verbose2_matches_keras(clock):
    kwargs = dict(target=5, verbose=2)
    updates = [(i, [("loss", 0.1 * i), ("mae", 1e-5)], None) for i in (1, 3, 5)]
    ours = run(Progbar, updates, clock, io.StringIO(), dt=0.5, **kwargs)
    theirs = run(
        keras_progbar.Progbar, updates, clock, io.StringIO(), dt=0.5, **kwargs
    )
    assert ours == theirs
    assert ours == "5/5 - 2s - 250ms/step - loss: 0.5000 - mae: 1.0000e-05\n"


@pytest.mark.parametrize("dt", [7.0, 400.0])
def test_eta_and_unknown_target_match_keras_on_a_terminal(clock, dt):
    updates = [(1, [("loss", 2.0)], None), (2, [("loss", 1.0)], None)]
    for target in (30, None):
        kwargs = dict(target=target, interval=0.0)
        ours = run(Progbar, updates, clock, TTY(), dt=dt, **kwargs)
        theirs = run(
            keras_progbar.Progbar, updates, clock, TTY(), dt=dt, **kwargs
        )
        assert ours == theirs


def test_verbose0_is_silent(capsys):
    bar = Progbar(target=2, verbose=0)
    bar.update(1, [("loss", 1.0)])
    bar.add(1, [("loss", 1.0)])
    assert capsys.readouterr().out == ""
    assert bar._seen_so_far == 2


def test_add_and_array_values_average_like_keras(clock, monkeypatch):
    outputs = []
    for bar_cls in (Progbar, keras_progbar.Progbar):
        monkeypatch.setattr(sys, "stdout", TTY())
        bar = bar_cls(target=4, interval=0.0)
        for value in ([1.0, 3.0], [5.0, 7.0]):
            clock.now += 0.01
            bar.add(1, [("m", np.array(value))])
        outputs.append(sys.stdout.getvalue())
    assert outputs[0] == outputs[1]
    assert outputs[0].rstrip().endswith("m: 4.0000")  # mean of all four


def test_bad_arguments():
    with pytest.raises(ValueError, match="Only one of `stateful_metrics`"):
        Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])
    with pytest.raises(ValueError, match=r"`verbose` of Progbar.*verbose=3"):
        Progbar(3, verbose=3)


def test_unencodable_console_falls_back_to_ascii_bar(monkeypatch):
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", ascii_out)
    Progbar(target=2).update(2, [("loss", 0.5)])
    ascii_out.flush()
    assert raw.getvalue().decode().startswith("2/2 " + "=" * 20 + " 0s")
