"""A moto server on 127.0.0.1 for the AWSCredentialChain tests, driven over stdin/stdout.

Starts moto's threaded server on a port the kernel picks. With --auth, IAM authentication is switched on after a
bootstrap that creates a user, an access key and an allow-all policy; every later request must then be signed
with that key (or with temporary keys derived from it). Prints one JSON line describing the server, then answers
one JSON command per input line with one JSON line. Exits when stdin closes, so the server never outlives the
test process.
"""
import json
import os
import sys

AUTH = "--auth" in sys.argv
if AUTH:
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"

import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
endpoint = f"http://127.0.0.1:{port}"
region = "us-east-1"

keys = {"aws_access_key_id": "AKIAEXAMPLEBOOTSTRAP", "aws_secret_access_key": "bootstrap-secret"}
info = {"endpoint": endpoint, "region": region}
if AUTH:
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=region, **keys)
    iam.create_user(UserName="lakemark-test")
    created = iam.create_access_key(UserName="lakemark-test")["AccessKey"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(UserName="lakemark-test", PolicyName="all", PolicyDocument=json.dumps(policy))
    keys = {"aws_access_key_id": created["AccessKeyId"], "aws_secret_access_key": created["SecretAccessKey"]}
    info["accessKeyId"] = keys["aws_access_key_id"]
    info["secretAccessKey"] = keys["aws_secret_access_key"]

session = boto3.session.Session(region_name=region, **keys)
secrets = session.client("secretsmanager", endpoint_url=endpoint)
iam = session.client("iam", endpoint_url=endpoint)
print(json.dumps(info), flush=True)

for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    command = json.loads(line)
    try:
        op = command["op"]
        if op == "create_secret":
            answer = secrets.create_secret(Name=command["name"], SecretString=command["value"])
            result = {"arn": answer["ARN"], "versionId": answer["VersionId"]}
        elif op == "create_binary_secret":
            answer = secrets.create_secret(Name=command["name"], SecretBinary=command["value"].encode())
            result = {"arn": answer["ARN"]}
        elif op == "put_secret_value":
            answer = secrets.put_secret_value(SecretId=command["name"], SecretString=command["value"])
            result = {"versionId": answer["VersionId"]}
        elif op == "create_role":
            trust = {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
            }
            role = iam.create_role(RoleName=command["name"], AssumeRolePolicyDocument=json.dumps(trust))["Role"]
            policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            iam.put_role_policy(RoleName=command["name"], PolicyName="all", PolicyDocument=json.dumps(policy))
            result = {"arn": role["Arn"]}
        else:
            result = {"error": f"unknown op {op}"}
    except Exception as error:  # report every failure to the test instead of dying
        result = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(result), flush=True)

server.stop()
