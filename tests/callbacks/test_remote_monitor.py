"""RemoteMonitor against Keras's: the same POST (URL, form field or JSON
body, headers) reaches a local HTTP server; an unreachable server warns."""

import json
import threading
import urllib.parse
import warnings
from http.server import BaseHTTPRequestHandler
from http.server import HTTPServer

import numpy as np
import pytest
import torch

import lamina
from tests.keras_oracle import keras


@pytest.fixture
def server():
    """A local server recording every POST as (path, headers, body)."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(
                (self.path, dict(self.headers), self.rfile.read(length))
            )
            status = 500 if self.path.endswith("/fail/") else 200
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()


class _RecordingRequests:
    """Stands in for `requests` inside Keras's module (not installed
    here): records the arguments of Keras's `requests.post` call."""

    class exceptions:
        RequestException = OSError

    def __init__(self):
        self.calls = []

    def post(self, url, data=None, json=None, headers=None):
        self.calls.append((url, data, json, headers))


LOGS = {
    "loss": np.float32(0.25),
    "acc": np.array(0.5, "float32"),
    "lr": 0.001,
    "val_loss": torch.tensor(1.5),
}


def _keras_call(monkeypatch, **kwargs):
    import keras.src.callbacks.remote_monitor as module

    fake = _RecordingRequests()
    monkeypatch.setattr(module, "requests", fake)
    logs = {k: v.numpy() if hasattr(v, "numpy") else v for k, v in LOGS.items()}
    keras.callbacks.RemoteMonitor(**kwargs).on_epoch_end(3, logs)
    return fake.calls[0]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"field": "payload", "headers": {"X-Run": "7"}},
        {"path": "/events/", "send_as_json": True},
        {"send_as_json": True, "headers": {"Authorization": "token"}},
    ],
)
def test_same_request_as_keras(server, monkeypatch, kwargs):
    root, received = server
    lamina.callbacks.RemoteMonitor(root=root, **kwargs).on_epoch_end(3, LOGS)
    url, form, json_body, headers = _keras_call(
        monkeypatch, root=root, **kwargs
    )
    path, got_headers, body = received[0]
    assert root + path == url
    for key, value in (headers or {}).items():
        assert got_headers[key] == value
    if json_body is not None:
        assert got_headers["Content-Type"] == "application/json"
        assert json.loads(body) == json_body
    else:
        assert got_headers["Content-Type"] == (
            "application/x-www-form-urlencoded"
        )
        assert urllib.parse.parse_qs(body.decode()) == {
            k: [v] for k, v in form.items()
        }


def test_sent_during_fit(server):
    root, received = server
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile("sgd", "mse")
    x = np.ones((4, 2), "float32")
    monitor = lamina.callbacks.RemoteMonitor(root=root, send_as_json=True)
    model.fit(x, x[:, :1], epochs=2, verbose=0, callbacks=[monitor])
    sent = [json.loads(body) for _, _, body in received]
    assert [s["epoch"] for s in sent] == [0, 1]
    assert all(isinstance(s["loss"], float) for s in sent)


def test_unreachable_server_warns_like_keras(monkeypatch):
    monitor = lamina.callbacks.RemoteMonitor(root="http://127.0.0.1:9")
    with pytest.warns(UserWarning) as caught:
        monitor.on_epoch_end(0, {"loss": 1.0})
    assert str(caught[0].message) == (
        "Could not reach RemoteMonitor root server at http://127.0.0.1:9"
    )


def test_error_status_is_not_a_failure(server):
    root, received = server
    monitor = lamina.callbacks.RemoteMonitor(root=root, path="/fail/")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        monitor.on_epoch_end(0, {"loss": 1.0})
    assert len(received) == 1


def test_defaults_match_keras():
    ours, theirs = (lib.callbacks.RemoteMonitor() for lib in (lamina, keras))
    for attr in ("root", "path", "field", "headers", "send_as_json"):
        assert getattr(ours, attr) == getattr(theirs, attr)
