"""`RemoteMonitor`: POST each epoch's logs to an HTTP server."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np
import torch

from lamina.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Callback that streams the end-of-epoch logs to a server.

    At the end of each epoch, `{"epoch": epoch, **logs}` is sent with an
    HTTP POST to `root + path`: as a form whose `field` holds the JSON
    text (Keras's default), or, with `send_as_json=True`, as a JSON body
    (`Content-Type: application/json`). An unreachable server gives a
    warning, not an error. Keras needs the `requests` package for this;
    lamina sends the same requests with the standard library's `urllib`,
    so it needs nothing extra.

    Args:
        root: the server's root URL.
        path: the path, relative to `root`, the events are sent to.
        field: the form field holding the JSON data (form mode only).
        headers: optional dict of extra HTTP headers.
        send_as_json: whether to send a JSON body instead of a form.

    Example:

    >>> import lamina, warnings
    >>> monitor = lamina.callbacks.RemoteMonitor(root="http://127.0.0.1:9")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     monitor.on_epoch_end(0, {"loss": 0.5})
    >>> str(caught[0].message)
    'Could not reach RemoteMonitor root server at http://127.0.0.1:9'
    """

    def __init__(
        self,
        root: str = "http://localhost:9000",
        path: str = "/publish/epoch/end/",
        field: str = "data",
        headers: dict | None = None,
        send_as_json: bool = False,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            # Arrays and tensors are not JSON: send their scalar value.
            if isinstance(value, (np.ndarray, np.generic, torch.Tensor)):
                value = value.item()
            send[key] = value
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers["Content-Type"] = "application/json"
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)})
            body = body.encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.root + self.path, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except urllib.error.HTTPError:
            pass  # the server answered: Keras ignores the status too
        except (urllib.error.URLError, OSError, ValueError):
            # URLError: no server; ValueError: a malformed URL. Keras warns
            # on any failed request and training goes on.
            warnings.warn(
                f"Could not reach RemoteMonitor root server at {self.root}",
                stacklevel=2,
            )
