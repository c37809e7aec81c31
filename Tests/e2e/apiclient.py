"""A small HTTP client for the api tests: JSON in and out, bearer key by default."""
import json
import urllib.error
import urllib.request

from conftest import AUTH


def call(method, url, body=None, headers=None, auth=True, raw=False):
    if body is None:
        data = None
    elif isinstance(body, bytes):
        data = body
    else:
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(AUTH if auth else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = response.read()
            return response.status, payload.decode() if raw else json.loads(payload or b"null")
    except urllib.error.HTTPError as error:
        payload = error.read()
        return error.code, payload.decode() if raw else json.loads(payload or b"null")


def get(url, **kwargs):
    return call("GET", url, **kwargs)


def post(url, body=None, **kwargs):
    return call("POST", url, body, **kwargs)


def delete(url, **kwargs):
    return call("DELETE", url, **kwargs)
