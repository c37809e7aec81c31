"""A moto S3 server on 127.0.0.1 (a free port) that checks every request's SigV4 signature.

moto authenticates nothing by default. With INITIAL_NO_AUTH_ACTION_COUNT it lets the first
requests through unsigned, then verifies each signature against the IAM access keys it knows
and refuses unknown keys or bad signatures, as S3 does. Those first requests create a user,
its access key and an allow-all policy, so the credentials returned are real to moto.

As a script (`python3 moto_s3.py [bucket ...]`, used by the Swift tests) it prints one JSON
line {"endpoint", "access_key_id", "secret_access_key", "region"} and serves until its
standard input closes, so it never outlives the test that started it.
"""
import json
import logging
import os
import sys

# Read by moto's settings at import time: the three IAM calls below go unsigned.
SETUP_CALLS = 3
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(SETUP_CALLS)
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from moto.core.authorization import ActionAuthenticatorMixin  # noqa: E402
from moto.core.responses import BaseResponse  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

# moto's server mode checks a signature against the URL as werkzeug decoded it, so any key or
# query value with a reserved character (é, +, &, "(", "a/" ...) fails to verify even when
# boto3 signed it. SigV4 for S3 signs the path and query exactly as sent, so the check gets
# the raw request URI instead; everything else in moto still sees the decoded URL.
_setup_class = BaseResponse.setup_class
_authenticate = ActionAuthenticatorMixin._authenticate_and_authorize_action


def _setup_with_raw_uri(self, request, full_url, headers, use_raw_body=False):
    _setup_class(self, request, full_url, headers, use_raw_body)
    environ = getattr(request, "environ", {})
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    self._signed_uri = "%s://%s%s" % (self.parsed_url.scheme, environ.get("HTTP_HOST"), raw) if raw else None


def _authenticate_with_raw_uri(self, iam_request_cls, resource="*"):
    signed = getattr(self, "_signed_uri", None)
    if signed is None:
        return _authenticate(self, iam_request_cls, resource)
    decoded, self.uri = self.uri, signed
    try:
        return _authenticate(self, iam_request_cls, resource)
    finally:
        self.uri = decoded


BaseResponse.setup_class = _setup_with_raw_uri
ActionAuthenticatorMixin._authenticate_and_authorize_action = _authenticate_with_raw_uri

REGION = "us-east-1"
# One line per request would bury the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)


class MotoS3:
    def __init__(self, buckets=()):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = "http://%s:%d" % (host, port)
        iam = boto3.client("iam", endpoint_url=self.endpoint, region_name=REGION,
                           aws_access_key_id="setup", aws_secret_access_key="setup")
        iam.create_user(UserName="synth")
        key = iam.create_access_key(UserName="synth")["AccessKey"]
        iam.put_user_policy(UserName="synth", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        self.access_key_id = key["AccessKeyId"]
        self.secret_access_key = key["SecretAccessKey"]
        for bucket in buckets:
            self.s3().create_bucket(Bucket=bucket)

    def s3(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id=self.access_key_id, aws_secret_access_key=self.secret_access_key)

    def environment(self, url):
        """What a synth service needs to use `url` (s3://bucket/prefix) on this server."""
        return {"SYNTH_OBJECT_STORE": url, "SYNTH_S3_ENDPOINT": self.endpoint, "SYNTH_S3_REGION": REGION,
                "SYNTH_S3_ACCESS_KEY_ID": self.access_key_id, "SYNTH_S3_SECRET_ACCESS_KEY": self.secret_access_key}

    def stop(self):
        self.server.stop()


if __name__ == "__main__":
    moto = MotoS3(sys.argv[1:])
    print(json.dumps({"endpoint": moto.endpoint, "access_key_id": moto.access_key_id,
                      "secret_access_key": moto.secret_access_key, "region": REGION}), flush=True)
    sys.stdin.read()
    moto.stop()
