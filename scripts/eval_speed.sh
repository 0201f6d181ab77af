#!/usr/bin/env bash
# Measures the embedded mapper through `lakemark map`: catalog load time (debug and release builds)
# and mapping throughput of distinct short texts (release build, one process, one core).
#
# Usage: scripts/eval_speed.sh [--no-build] [--runs N]
# Load time = median wall time of `lakemark map` on a request without documents, minus the median of
# `lakemark frameworks` (same process start-up, no catalog load). Throughput = documents / (time of a
# request with N distinct short texts to all five catalogues, top 3 - load run time).
# Build directory: $LAKEMARK_SCRATCH (default: the repository's .build).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
scratch="${LAKEMARK_SCRATCH:-$repo/.build}"
build=1
runs=9
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0; shift ;;
        --runs) runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "eval_speed.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ "$build" -eq 1 ]; then
    (cd "$repo" && swift build --scratch-path "$scratch" --product lakemark >&2 \
        && swift build -c release --scratch-path "$scratch" --product lakemark >&2)
fi

python3 - "$scratch" "$runs" <<'PY'
import json, statistics, subprocess, sys, time

scratch, runs = sys.argv[1], int(sys.argv[2])
services = ['iam', 'sts', 's3', 'ec2', 'kms', 'cloudtrail', 'guardduty', 'rds', 'lambda', 'signin',
            'config', 'secretsmanager', 'organizations', 'logs', 'elasticloadbalancing', 'sso', 'ssm',
            'cloudwatch', 'dynamodb', 'eks']
actions = ['CreateAccessKey', 'DeleteTrail', 'StopLogging', 'PutBucketPolicy', 'PutBucketAcl',
           'AuthorizeSecurityGroupIngress', 'ConsoleLogin', 'CreateUser', 'AttachUserPolicy',
           'DisableKey', 'ScheduleKeyDeletion', 'DeleteDetector', 'GetSecretValue', 'AssumeRole',
           'DeleteFlowLogs', 'ModifyInstanceAttribute', 'RunInstances', 'DeactivateMFADevice',
           'UpdateLoginProfile', 'PutRolePolicy', 'CreateLoginProfile', 'DeleteBucketEncryption',
           'ModifyDBInstance', 'StopConfigurationRecorder', 'DeleteLogGroup', 'CreateNetworkAclEntry',
           'PutUserPolicy', 'DeleteVpcEndpoints', 'UpdateFunctionConfiguration', 'LeaveOrganization']
suffixes = ['', ' without MFA', ' from an unusual location', ' by root account', ' failed with AccessDenied']
texts = []
for suffix in suffixes:
    for service in services:
        for action in actions:
            texts.append('%s.amazonaws.com %s%s' % (service, action, suffix))
texts = texts[:1000]
frameworks = ['pci_dss_v4', 'nist_800_53_r5', 'nist_csf_v2', 'iso_27001', 'soc2']

def run(binary, args, body):
    t0 = time.perf_counter()
    p = subprocess.run([binary] + args, input=body, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit('%s %s failed: %s' % (binary, args, p.stderr.decode()[-500:]))
    return elapsed, p.stdout

empty = json.dumps({'frameworks': frameworks, 'documents': []}).encode()
for config in ('debug', 'release'):
    binary = '%s/%s/lakemark' % (scratch, config)
    base = statistics.median(run(binary, ['frameworks'], b'')[0] for _ in range(runs))
    load = statistics.median(run(binary, ['map'], empty)[0] for _ in range(runs))
    print('%-7s process start %6.1f ms, start + catalog load %6.1f ms, load %6.1f ms'
          % (config, base * 1e3, load * 1e3, (load - base) * 1e3))
    if config == 'release':
        body = json.dumps({'frameworks': frameworks, 'topk': 3, 'min_similarity': 0.01,
                           'documents': [{'id': 'd%d' % i, 'document': t} for i, t in enumerate(texts)]}).encode()
        best = min(run(binary, ['map'], body)[0] for _ in range(max(3, runs // 3)))
        mapping = best - load
        print('release %d distinct short texts x %d catalogues: %.1f ms total, %.1f ms mapping -> %.0f documents/s'
              % (len(texts), len(frameworks), best * 1e3, mapping * 1e3, len(texts) / mapping))
        one = json.loads(run(binary, ['map'], body)[1])
        matched = sum(1 for f in one['frameworks'] for _ in f['controls'])
        example = [c['control']['id'] for c in one['frameworks'][0]['controls'] if c['document_id'] == 'd2']
        print('        %d matches returned (example: %s -> %s)' % (matched, texts[2], example))
PY
