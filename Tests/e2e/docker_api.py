"""The plainest Docker Engine API client: http.client on the unix socket.
The tests use it to see which containers exist, never to run tasks."""
import http.client
import json
import os
import socket
import urllib.parse

SOCKET = os.environ.get("SYNTH_DOCKER_SOCKET", "/var/run/docker.sock")


class _Connection(http.client.HTTPConnection):
    def __init__(self, path, timeout=30):
        super().__init__("docker", timeout=timeout)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


def call(method, path, body=None, timeout=30):
    connection = _Connection(SOCKET, timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, "/v1.41" + path, body=None if body is None else json.dumps(body), headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data and data[:1] in b"[{" else data)
    finally:
        connection.close()


def containers(labels):
    """Containers (running or not) carrying every label in `labels`."""
    filters = json.dumps({"label": ["%s=%s" % kv for kv in sorted(labels.items())]})
    status, body = call("GET", "/containers/json?all=true&filters=" + urllib.parse.quote(filters))
    assert status == 200, body
    return body


def create(image, labels, command=("sleep", "300")):
    status, body = call("POST", "/containers/create", {
        "Image": image, "Cmd": list(command), "Labels": labels,
        "HostConfig": {"NetworkMode": "none", "Memory": 64 << 20, "CapDrop": ["ALL"]}})
    assert status == 201, body
    return body["Id"]


def remove(container_id):
    call("DELETE", "/containers/%s?force=true&v=true" % container_id)
