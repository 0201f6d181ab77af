#!/usr/bin/env python3
"""Event-phrased evaluation of the Lakemark mapping engine (evaluation only, nothing here is bundled).

Two small labelled sets, built on the fly from the event corpus and our own tables, scored with the mapping-dev
scorer (score_dev.py) through `lakemark map` with and without the per-event-type priors:

- `stratus` (NIST 800-53, collapsed level is the meaningful one): every state-changing CloudTrail call
  (readOnly false, or a console sign-in) of the Stratus Red Team detonation logs
  (shared/data/events/stratus-red-team-cloudtrail, Apache-2.0), phrased the way the service synthesises
  CloudTrail text ("AWS <eventSource> <eventName> by <identity type>"). Labels: the 800-53 controls that
  MITRE CTID maps to the ATT&CK technique of the Stratus attack (STRATUS_TECHNIQUES below, our reading of each
  attack). Not circular with the CloudTrail table (whose controls the team wrote independently of CTID), but
  CTID label sets are broad (10-30 base controls), so hit@k is easy and recall is the harder number.
- `tables` (all frameworks' 800-53 ids): one text per row of scripts/event_tables (CloudTrail, Okta,
  Kubernetes, GuardDuty), phrased as an event ("CloudTrail event StopLogging on cloudtrail.amazonaws.com",
  "Okta System Log event user.session.start", "Kubernetes audit: get secrets", "GuardDuty finding <type>").
  Labels: the 800-53 rows of event_priors.tsv for that type. **Circular**: it checks that the types are
  recognised and their controls reach the top answers, not that the tables are right.

With --model DIR the row `lakemark-rr` is `lakemark map --model DIR` (the semantic re-ranker, fitted on the
Prowler-labelled check texts only, so these event texts are held out for it).

Usage: python3 scripts/eval_events.py --bin LAKEMARK [--shared DIR] [--model DIR]
"""

import argparse
import collections
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_event_priors import read_ctid, read_table  # noqa: E402

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

# Stratus Red Team attack -> ATT&CK techniques (our reading of each attack; evaluation labels only).
STRATUS_TECHNIQUES = {
    'aws.credential-access.ec2-get-password-data': ['T1552'],
    'aws.credential-access.ec2-steal-instance-credentials': ['T1552.005'],
    'aws.credential-access.secretsmanager-batch-retrieve-secrets': ['T1555'],
    'aws.credential-access.secretsmanager-retrieve-secrets': ['T1555'],
    'aws.credential-access.ssm-retrieve-securestring-parameters': ['T1555', 'T1552'],
    'aws.defense-evasion.cloudtrail-delete': ['T1562.008'],
    'aws.defense-evasion.cloudtrail-event-selectors': ['T1562.008'],
    'aws.defense-evasion.cloudtrail-stop': ['T1562.008'],
    'aws.defense-evasion.dns-delete-logs': ['T1562.008'],
    'aws.defense-evasion.organizations-leave': ['T1562'],
    'aws.defense-evasion.vpc-remove-flow-logs': ['T1562.008'],
    'aws.discovery.ec2-download-user-data': ['T1580', 'T1552.005'],
    'aws.execution.ec2-launch-unusual-instances': ['T1578.002'],
    'aws.execution.ec2-user-data': ['T1059'],
    'aws.execution.ssm-send-command': ['T1651'],
    'aws.execution.ssm-start-session': ['T1651'],
    'aws.exfiltration.ec2-security-group-open-port-22-ingress': ['T1562.007'],
    'aws.exfiltration.ec2-share-ami': ['T1537'],
    'aws.exfiltration.ec2-share-ebs-snapshot': ['T1537'],
    'aws.exfiltration.rds-share-snapshot': ['T1537'],
    'aws.initial-access.console-login-without-mfa': ['T1078.004'],
    'aws.lateral-movement.ec2-instance-connect': ['T1021.007'],
    'aws.lateral-movement.ec2-serial-console-send-ssh-public-key': ['T1021.007'],
    'aws.persistence.iam-backdoor-role': ['T1098'],
    'aws.persistence.iam-backdoor-user': ['T1098.001'],
    'aws.persistence.iam-create-admin-user': ['T1136.003'],
    'aws.persistence.iam-create-backdoor-role': ['T1136.003', 'T1098.003'],
    'aws.persistence.iam-create-user-login-profile': ['T1098'],
    'aws.persistence.lambda-backdoor-function': ['T1648', 'T1098'],
    'aws.persistence.lambda-layer-extension': ['T1648'],
    'aws.persistence.lambda-overwrite-code': ['T1648'],
    'aws.persistence.rolesanywhere-create-trust-anchor': ['T1098'],
    'aws.persistence.sts-federation-token': ['T1098'],
    'aws.privilege-escalation.iam-update-user-login-profile': ['T1098'],
}


def resolve_shared(given):
    for candidate in (given, os.path.join(REPO, '..', 'shared'), os.environ.get('LAKEMARK_SHARED'), '/work/shared'):
        if candidate and os.path.isfile(os.path.join(candidate, 'eval', 'mapping-dev', 'score_dev.py')):
            return candidate
    sys.exit('eval_events.py: no shared folder with eval/mapping-dev (pass --shared DIR)')


def words(identifier):
    out = []
    for i, ch in enumerate(identifier):
        if ch.isupper() and i > 0 and (identifier[i - 1].islower()
                                       or (i + 1 < len(identifier) and identifier[i + 1].islower()
                                           and identifier[i - 1].isupper())):
            out.append(' ')
        out.append(ch.lower())
    return ''.join(out)


def row(text, gold, source, group):
    return {'id': hashlib.sha1(text.encode('utf-8')).hexdigest()[:16], 'framework': 'nist_800_53_r5',
            'text': text, 'gold': sorted(gold), 'source': source, 'group': group}


def stratus_rows(shared):
    ctid, _ = read_ctid(shared)
    rows = {}
    folder = os.path.join(shared, 'data', 'events', 'stratus-red-team-cloudtrail')
    for path in sorted(glob.glob(os.path.join(folder, '*.json'))):
        attack = os.path.basename(path)[:-5]
        gold = set()
        for technique in STRATUS_TECHNIQUES.get(attack, []):
            gold |= ctid.get(technique, set())
        if not gold:
            continue
        with open(path, encoding='utf-8') as f:
            events = json.load(f)
        for event in events:
            if event.get('readOnly') and event.get('eventName') != 'ConsoleLogin':
                continue
            identity = (event.get('userIdentity') or {}).get('type')
            text = 'AWS %s %s' % (event['eventSource'], event['eventName'])
            if identity == 'Root':
                text += ' by root account'
            elif identity:
                text += ' by ' + words(identity)
            if event.get('errorCode'):
                text += ' failed: ' + event['errorCode']
            key = (text, attack)
            if key not in rows:
                rows[key] = row(text, gold, 'stratus', attack)
    # The same text under two attacks: keep one row with the union of their labels.
    merged = {}
    for (text, _), r in rows.items():
        if text in merged:
            merged[text]['gold'] = sorted(set(merged[text]['gold']) | set(r['gold']))
        else:
            merged[text] = r
    return list(merged.values())


def table_rows():
    priors = collections.defaultdict(set)
    with open(os.path.join(REPO, 'Sources', 'Mapping', 'Catalogs', 'event_priors.tsv'), encoding='utf-8') as f:
        for line in f:
            if line.startswith('#'):
                continue
            source, key, catalog, cid, _, _ = line.rstrip('\n').split('\t')
            if catalog == 'nist_800_53_r5':
                priors[(source, key)].add(cid)
    rows = []
    for source, name, _ in read_table('cloudtrail.tsv', 3):
        rows.append(row('CloudTrail event %s on %s' % (name, source), priors[('cloudtrail', name.lower())],
                        'tables', 'cloudtrail:' + name))
    for event_type, _ in read_table('okta.tsv', 2):
        if event_type.count('.') >= 2:
            rows.append(row('Okta System Log event %s' % event_type, priors[('okta', event_type.lower())],
                            'tables', 'okta:' + event_type))
    for verb, resource, _ in read_table('kubernetes.tsv', 3):
        shown = 'create' if verb == '*' else verb
        rows.append(row('Kubernetes audit: %s %s' % (shown, resource),
                        priors[('k8s-audit', '%s %s' % (verb, resource))], 'tables', 'k8s:' + resource))
    for finding, _, _ in read_table('guardduty.tsv', 3):
        if '/' in finding:
            rows.append(row('GuardDuty finding %s' % finding, priors[('guardduty', finding.lower())], 'tables',
                            'guardduty:' + finding))
    return [r for r in rows if r['gold']]


def score(shared, path, command, name):
    done = subprocess.run([sys.executable, os.path.join(shared, 'eval', 'mapping-dev', 'score_dev.py'), path,
                           '--data-dir', os.path.join(shared, 'data'), '--cmd', command, '--name', name,
                           '--baseline', 'prior', '--prior-from', path, '--json'],
                          stdout=subprocess.PIPE, check=True)
    return json.loads(done.stdout)['blocks'][0]['results']


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--bin', required=True)
    ap.add_argument('--shared')
    ap.add_argument('--model', help='all-MiniLM-L6-v2 directory: also score with the semantic re-ranker')
    a = ap.parse_args(argv)
    shared = resolve_shared(a.shared)
    catalogs = os.path.join(os.path.dirname(a.bin), 'lakemark_Mapping.resources', 'Catalogs')
    work = tempfile.mkdtemp(prefix='lakemark-eval-events.')
    try:
        plain = os.path.join(work, 'no-event-priors')
        os.mkdir(plain)
        for name in os.listdir(catalogs):
            if name.endswith('.tsv') and name != 'event_priors.tsv':
                shutil.copy(os.path.join(catalogs, name), plain)
        for set_name, rows in (('stratus', stratus_rows(shared)), ('tables', table_rows())):
            path = os.path.join(work, 'nist_800_53_r5.%s.jsonl' % set_name)
            with open(path, 'w', encoding='utf-8') as f:
                for r in rows:
                    f.write(json.dumps(r) + '\n')
            results = score(shared, path, a.bin + ' map', 'lakemark')
            results.update(score(shared, path, 'env LAKEMARK_CATALOG_DIR=%s %s map' % (plain, a.bin),
                                 'no-event-priors'))
            if a.model:
                results.update(score(shared, path, '%s map --model %s' % (a.bin, a.model), 'lakemark-rr'))
            print('== event-phrased %s (%d texts, NIST 800-53; %s)' % (
                set_name, len(rows), 'labels: CTID via Stratus technique' if set_name == 'stratus'
                else 'labels: our tables, circular'))
            print('  %-16s | %-27s | %-27s' % ('ranker', 'exact h@1 h@3 MRR mR@10', 'collapsed h@1 h@3 MRR mR@10'))
            for ranker in ('lakemark', 'lakemark-rr', 'no-event-priors', 'prior'):
                r = results.get(ranker)
                if not r:
                    continue
                cells = ['%.3f %.3f %.3f %.3f' % (r[g]['micro']['hit@1'], r[g]['micro']['hit@3'],
                                                  r[g]['micro']['mrr'], r[g]['macro']['recall@10'])
                         for g in ('exact', 'collapsed')]
                print('  %-16s | %-27s | %-27s' % (ranker, cells[0], cells[1]))
            for ranker in ('lakemark', 'lakemark-rr'):
                if ranker not in results:
                    continue
                buckets = ['%s %d: %.2f/%.2f' % (b, v['n'], v['precision@1'],
                                                 results[ranker]['collapsed']['confidence'][b]['precision@1'])
                           for b, v in results[ranker]['exact']['confidence'].items()]
                print('  %s top-1 precision by confidence (exact/collapsed): ' % ranker + '; '.join(buckets))
            print()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
