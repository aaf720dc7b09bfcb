"""`Progbar`: the console progress bar `fit`, `evaluate` and `predict` print,
and `print_msg`, the one place lamina writes to the console."""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from typing import Any
from typing import Iterable

import numpy as np

# Read through this name so that tests can drive the bar with a fake clock.
_now = time.monotonic


def print_msg(message: str, line_break: bool = True) -> None:
    """Write `message` to stdout and flush; `━` degrades to `=` on consoles
    whose encoding lacks it. With interactive logging off
    (`config.disable_interactive_logging`), log it at INFO instead."""
    from lamina import config

    if not config.is_interactive_logging_enabled():
        logging.getLogger("lamina").info(str(message))
        return
    message = str(message) + ("\n" if line_break else "")
    try:
        sys.stdout.write(message)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "utf-8"
        message = message.replace("━", "=")
        message = message.encode(encoding, errors="ignore").decode(encoding)
        sys.stdout.write(message)
    sys.stdout.flush()


def _is_dynamic_display() -> bool:
    # Redraw in place only where a redraw renders: a terminal, a notebook,
    # PyCharm's console. Logs and pipes get one final line per bar.
    isatty = getattr(sys.stdout, "isatty", None)
    return (
        bool(isatty and isatty())
        or "ipykernel" in sys.modules
        or "PYCHARM_HOSTED" in os.environ
    )


def _format_time(time_per_unit: float, unit_name: str) -> str:
    if time_per_unit >= 1 or time_per_unit == 0:
        return f" {time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f" {time_per_unit * 1e3:.0f}ms/{unit_name}"
    return f" {time_per_unit * 1e6:.0f}us/{unit_name}"


def _format_eta(eta: float) -> str:
    # Whole units, truncated, as Keras shows them.
    seconds = int(eta)
    if eta > 3600:
        hours, rest = divmod(seconds, 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    if eta > 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds}s"


def _style(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


class Progbar:
    """Displays a progress bar.

    Metrics are averaged over the steps seen (weighted by step count),
    except those named in `stateful_metrics`, shown as given. Pass
    `stateless_metrics` instead to average only the metrics it names.

    On a terminal (or in a notebook) `verbose=1` redraws one line in place;
    elsewhere (a log file, a pipe) it prints only each bar's final line,
    without colours. `verbose=2` prints one line when the bar completes;
    `verbose=0` prints nothing.

    Args:
        target: Total number of steps expected, `None` if unknown.
        width: Width of the bar, in characters.
        verbose: 0 (silent), 1 (bar) or 2 (one line per bar).
        interval: Minimum time between redraws, in seconds.
        stateful_metrics: Names of metrics displayed as given.
        stateless_metrics: Names of the only metrics to average (exclusive
            with `stateful_metrics`).
        unit_name: Display name of a step (`"step"`, `"sample"`).

    Example:

    >>> from lamina.utils.progbar import Progbar
    >>> bar = Progbar(target=2, verbose=0)
    >>> bar.update(1, [("loss", 1.0)])
    >>> bar.update(2, [("loss", 0.5)])
    """

    def __init__(
        self,
        target: int | None,
        width: int = 20,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics: Iterable[str] | None = None,
        stateless_metrics: Iterable[str] | None = None,
        unit_name: str = "step",
    ) -> None:
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Only one of `stateful_metrics` or `stateless_metrics` can "
                "be provided to Progbar. Received: "
                f"stateful_metrics={stateful_metrics!r}, "
                f"stateless_metrics={stateless_metrics!r}"
            )
        if verbose not in (0, 1, 2):
            raise ValueError(
                "Invalid value for argument `verbose` of Progbar: expected "
                f"0, 1 or 2. Received: verbose={verbose!r}"
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = (
            None
            if stateless_metrics is not None
            else set(stateful_metrics or ())
        )
        self.stateless_metrics = (
            None if stateless_metrics is None else set(stateless_metrics)
        )
        self._dynamic_display = _is_dynamic_display()
        self._seen_so_far = 0
        self._values = {}  # name -> [weighted sum, weight]
        self._start = _now()
        self._last_update = -math.inf
        self._time_after_first_step = None
        self._prev_total_width = 0

    def update(
        self,
        current: int,
        values: Iterable[tuple[str, Any]] | None = None,
        finalize: bool | None = None,
    ) -> None:
        """Update the bar.

        Args:
            current: Index of the current step (1-based count of steps).
            values: List of `(name, value_for_last_step)` pairs.
            finalize: Whether this is the bar's last update. Defaults to
                `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._accumulate(current, values or (), finalize)
        now = _now()
        time_per_unit = self._step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            if self._dynamic_display:
                self._redraw(current, now, time_per_unit, finalize)
            elif finalize:
                line = self._bar_line(current, now, time_per_unit, True)[0]
                print_msg(line)
        elif self.verbose == 2 and finalize and self._has_target():
            print_msg(self._summary_line(current, now, time_per_unit))
        self._last_update = now

    def add(
        self, n: int, values: Iterable[tuple[str, Any]] | None = None
    ) -> None:
        """Advance the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _is_stateless(self, name: str) -> bool:
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def _accumulate(self, current: int, values, finalize: bool) -> None:
        for name, value in values:
            if hasattr(value, "detach"):
                value = value.detach().cpu().float().numpy()
            if not self._is_stateless(name) or finalize:
                # Shown as given; a final update carries epoch-level values.
                self._values[name] = [value, 1]
                continue
            # Weight by the steps since the last update, at least 1, so
            # that a repeated `current` still counts.
            weight = max(current - self._seen_so_far, 1)
            if name not in self._values:
                self._values[name] = [value * weight, weight]
            else:
                self._values[name][0] += value * weight
                self._values[name][1] += weight
        self._seen_so_far = current

    def _step_duration(self, current: int, now: float) -> float:
        # The first step (warm-up, compilation) is left out of the estimate
        # once later steps are available.
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit

    def _has_target(self) -> bool:
        return self.target is not None and self.target > 0

    def _format_metrics(self) -> str:
        info = ""
        for name, (total, count) in self._values.items():
            if not isinstance(total, float):
                total = np.mean(total)
            avg = total / max(1, count)
            info += (
                f" - {name}: {avg:.4f}"
                if abs(avg) > 1e-3
                else (f" - {name}: {avg:.4e}")
            )
        return info

    def _bar_line(self, current, now, time_per_unit, finalize, color=False):
        """The `verbose=1` line, and its width on screen (escapes excluded)."""
        if self._has_target():
            digits = int(math.log10(self.target)) + 1
            count = f"{current:{digits}d}/{self.target}"
            filled = int(self.width * float(current) / self.target)
            bar = _style(count, "1", color) + " "
            if filled > 0:
                bar += _style("━" * filled, "32", color)
            bar += _style("━" * (self.width - filled), "37", color)
            width = len(count) + 1 + self.width
        else:
            bar = f"{current:7d}/Unknown"
            width = len(bar)
        if self._has_target() and not finalize:
            clock = _format_eta(time_per_unit * (self.target - current))
        else:
            clock = f"{now - self._start:.0f}s"
        info = _format_time(time_per_unit, self.unit_name)
        info += self._format_metrics()
        width += 1 + len(clock) + len(info)
        return bar + " " + _style(clock, "1", color) + info, width

    def _redraw(self, current, now, time_per_unit, finalize) -> None:
        line, width = self._bar_line(
            current, now, time_per_unit, finalize, color=True
        )
        message = "\b" * self._prev_total_width + "\r" + line
        if self._prev_total_width > width:
            message += " " * (self._prev_total_width - width)
        if finalize:
            message += "\n"
        print_msg(message, line_break=False)
        self._prev_total_width = width

    def _summary_line(self, current, now, time_per_unit) -> str:
        digits = int(math.log10(self.target)) + 1
        line = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s"
        line += " -" + _format_time(time_per_unit, self.unit_name)
        return line + self._format_metrics()
