#!/usr/bin/env bash
# Measures the embedded mapper through `lakemark map`: catalog load time (debug and release builds)
# and mapping throughput of distinct short texts (release build, one process, one core).
#
# Usage: scripts/eval_speed.sh [--no-build] [--runs N] [--model DIR]
# Load time = median wall time of `lakemark map` on a request without documents, minus the median of
# `lakemark frameworks` (same process start-up, no catalog load). Throughput = documents / (time of a
# request with N distinct short texts to all five catalogues, top 3 - load run time), and the same per
# framework alone (PCI, CSF, ISO and TSC also rank 800-53 for the crosswalk projection).
# With the model (models/all-minilm-l6-v2, or --model DIR) the same for `lakemark map --model DIR` (semantic
# re-ranker on; its CPU time is printed too, as the encoder's BLAS calls could use another core), and the cached
# rate: `lakemark serve` (loopback, same model) answers the same /v1/map request twice and the second answer
# comes from the engine's cache (time of the second request over the texts; HTTP and JSON included).
# Build directory: $LAKEMARK_SCRATCH (default: the repository's .build).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
scratch="${LAKEMARK_SCRATCH:-$repo/.build}"
build=1
runs=9
model="$repo/models/all-minilm-l6-v2"
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --model) model="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "eval_speed.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ "$build" -eq 1 ]; then
    (cd "$repo" && swift build --scratch-path "$scratch" --product lakemark >&2 \
        && swift build -c release --scratch-path "$scratch" --product lakemark >&2)
fi

python3 - "$scratch" "$runs" "$model" <<'PY'
import http.client, json, os, resource, socket, statistics, subprocess, sys, tempfile, time

scratch, runs, model = sys.argv[1], int(sys.argv[2]), sys.argv[3]
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

cpu = [0.0]


def run(binary, args, body):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run([binary] + args, input=body, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
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
        for framework in frameworks:
            single = json.dumps({'frameworks': [framework], 'topk': 3, 'min_similarity': 0.01,
                                 'documents': [{'id': 'd%d' % i, 'document': t} for i, t in enumerate(texts)]}).encode()
            alone = min(run(binary, ['map'], single)[0] for _ in range(max(3, runs // 3))) - load
            print('        %-15s alone: %5.1f ms mapping -> %.0f documents/s' % (framework, alone * 1e3,
                                                                               len(texts) / alone))
        one = json.loads(run(binary, ['map'], body)[1])
        matched = sum(1 for f in one['frameworks'] for _ in f['controls'])
        example = [c['control']['id'] for c in one['frameworks'][0]['controls'] if c['document_id'] == 'd2']
        print('        %d matches returned (example: %s -> %s)' % (matched, texts[2], example))
if not os.path.exists(os.path.join(model, 'model.safetensors')):
    print('semantic re-ranker: skipped (no model in %s; scripts/fetch_model.sh)' % model)
    raise SystemExit(0)
binary = '%s/release/lakemark' % scratch
semantic = ['map', '--model', model]
base = statistics.median(run(binary, ['frameworks'], b'')[0] for _ in range(runs))
load = statistics.median(run(binary, semantic, empty)[0] for _ in range(runs))
print('release + model: start + catalog and model load %6.1f ms, load %6.1f ms' % (load * 1e3, (load - base) * 1e3))
body = json.dumps({'frameworks': frameworks, 'topk': 3, 'min_similarity': 0.01,
                   'documents': [{'id': 'd%d' % i, 'document': t} for i, t in enumerate(texts)]}).encode()
timed = []
for _ in range(max(3, runs // 3)):
    timed.append((run(binary, semantic, body)[0], cpu[0]))
best, seconds = min(timed)
print('release + model, %d distinct short texts x %d catalogues, cold: %.1f ms total (%.1f ms CPU), %.1f ms mapping '
      '-> %.0f documents/s' % (len(texts), len(frameworks), best * 1e3, seconds * 1e3, (best - load) * 1e3,
                               len(texts) / (best - load)))
with socket.socket() as probe:
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
sink = tempfile.mkdtemp(prefix='lakemark-speed-')
env = dict(os.environ, LAKEMARK_LISTEN='127.0.0.1:%d' % port, LAKEMARK_SINK=sink, LAKEMARK_MODEL_DIR=model,
           LAKEMARK_LOG_LEVEL='warning')
server = subprocess.Popen([binary, 'serve'], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    answers = []
    for attempt in ('cold', 'cached', 'cached'):
        connection = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
        t0 = time.perf_counter()
        connection.request('POST', '/v1/map', body, {'Content-Type': 'application/json'})
        reply = connection.getresponse().read()
        answers.append((attempt, time.perf_counter() - t0, reply))
        connection.close()
    for attempt, elapsed, reply in answers:
        print('serve + model, POST /v1/map %s: %.1f ms -> %.0f documents/s%s' % (
            attempt, elapsed * 1e3, len(texts) / elapsed, '' if reply == answers[0][2] else ' (answer differs!)'))
finally:
    server.terminate()
    server.wait()
PY
