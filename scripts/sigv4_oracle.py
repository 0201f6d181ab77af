#!/usr/bin/env python3
"""Sign generated S3 requests with botocore, offline, as an independent SigV4 oracle for the Swift tests.

Usage: python3 scripts/sigv4_oracle.py cases.json > results.json

Input: {"cases": [case, ...]} where each case has
  id, mode ("header" or "query"), method, scheme, host, style ("virtual" or "path"), bucket, key (raw object key),
  query ([[name, value], ...] decoded), headers ([[name, value], ...] in wire order), body (text, UTF-8),
  unsigned_payload (bool), access_key, secret_key, token (or null), region, timestamp (epoch seconds), expires.
Output: {"results": [{id, path, canonical_request, authorization} or {id, path, canonical_request, signature,
  signed_headers}, ...]}.

The path is built here from the raw key with urllib's quote (only A-Z a-z 0-9 - . _ ~ and / left as they are), so
the Swift path encoder is checked too. Time is pinned by replacing botocore.auth.get_current_datetime. Nothing here
touches the network.
"""

import datetime
import json
import sys
import types
from urllib.parse import parse_qs, quote, urlsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class HeaderAuth(botocore.auth.S3SigV4Auth):
    """S3SigV4Auth that remembers the canonical request it computed."""

    captured = None

    def canonical_request(self, request):
        self.captured = super().canonical_request(request)
        return self.captured


class QueryAuth(botocore.auth.S3SigV4QueryAuth):
    """S3SigV4QueryAuth that remembers the canonical request it computed."""

    captured = None

    def canonical_request(self, request):
        self.captured = super().canonical_request(request)
        return self.captured


def wire_path(case):
    key = quote(case["key"].encode("utf-8"), safe="/")
    if case["style"] == "virtual":
        return "/" + key
    return "/" + quote(case["bucket"].encode("utf-8"), safe="") + "/" + key


def sign(case):
    path = wire_path(case)
    url = f"{case['scheme']}://{case['host']}{path}"
    frozen = datetime.datetime.fromtimestamp(case["timestamp"], datetime.timezone.utc).replace(tzinfo=None)
    botocore.auth.get_current_datetime = lambda *args, **kwargs: frozen
    credentials = Credentials(case["access_key"], case["secret_key"], case["token"])
    query = [(name, value) for name, value in case["query"]]
    if case["mode"] == "header":
        request = AWSRequest(method=case["method"], url=url, data=case["body"].encode("utf-8"), params=query)
    else:
        request = AWSRequest(method=case["method"], url=url, params=dict(query))
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders appends, so repeated names stay in order
    result = {"id": case["id"], "path": path}
    if case["mode"] == "header":
        if case["unsigned_payload"]:
            request.context["client_config"] = types.SimpleNamespace(s3={"payload_signing_enabled": False})
        auth = HeaderAuth(credentials, "s3", case["region"])
        auth.add_auth(request)
        result["authorization"] = request.headers["Authorization"]
    else:
        auth = QueryAuth(credentials, "s3", case["region"], expires=case["expires"])
        auth.add_auth(request)
        signed = parse_qs(urlsplit(request.url).query, keep_blank_values=True)
        result["signature"] = signed["X-Amz-Signature"][0]
        result["signed_headers"] = signed["X-Amz-SignedHeaders"][0]
    result["canonical_request"] = auth.captured
    return result


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sigv4_oracle.py cases.json")
    with open(sys.argv[1], encoding="utf-8") as handle:
        cases = json.load(handle)["cases"]
    json.dump({"results": [sign(case) for case in cases]}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
