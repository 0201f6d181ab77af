#!/usr/bin/env python3
"""Auditor spot checks of the embedded mapping engine: short event-phrased texts the team wrote
(Tests/Fixtures/auditor_spot_checks.jsonl, one JSON object per line: `text` and, per framework key,
the `accepted` control ids a security engineer would accept for it; an id also accepts its enhancements and
sub-requirements, `AC-6` accepts `AC-6(9)`, `10.2.1` accepts `10.2.1.6`).

Maps every text through `lakemark map` (with --model: the semantic re-ranker on) and prints per framework the High
answers of the top 3, how many are accepted and how many texts' top answer is accepted whatever its bucket, then
every High answer (with its rank) marked `ok` or `WRONG`. Tests/MappingTests/SpotCheckTests and
Tests/SemanticTests/SpotCheckRerankerTests assert that no High answer is outside the accepted set.

Usage: python3 scripts/spot_check.py --bin LAKEMARK [--model DIR] [--catalog-dir DIR] [--all]
    --all prints every top answer, not only the High ones.
"""

import argparse
import json
import os
import subprocess
import sys

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
CASES = os.path.join(REPO, 'Tests', 'Fixtures', 'auditor_spot_checks.jsonl')
FRAMEWORKS = ('nist_800_53_r5', 'nist_csf_v2', 'pci_dss_v4', 'iso_27001', 'soc2')


def accepted(control, ids):
    """Whether `control` is one of `ids` or an enhancement / sub-requirement of one."""
    return any(control == i or control.startswith(i + '(') or control.startswith(i + '.') for i in ids)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--bin', required=True, help='the lakemark executable')
    ap.add_argument('--model', help='model directory: re-ranker on')
    ap.add_argument('--catalog-dir', help='catalog directory (default: the bundled one)')
    ap.add_argument('--all', action='store_true', help='print every top answer')
    a = ap.parse_args(argv)
    cases = [json.loads(line) for line in open(CASES, encoding='utf-8') if line.strip()]
    request = {'frameworks': list(FRAMEWORKS), 'min_similarity': 0.01, 'topk': 3,
               'documents': [{'id': str(i), 'document': c['text']} for i, c in enumerate(cases)]}
    env = dict(os.environ)
    if a.catalog_dir:
        env['LAKEMARK_CATALOG_DIR'] = a.catalog_dir
    command = [a.bin, 'map'] + (['--model', a.model] if a.model else [])
    done = subprocess.run(command, input=json.dumps(request).encode('utf-8'), env=env, stdout=subprocess.PIPE,
                          check=True)
    answers = {}
    for block in json.loads(done.stdout)['frameworks']:
        for control in block['controls']:
            answers.setdefault((block['framework_id'], int(control['document_id'])), []).append(control)
    wrong = 0
    print('framework  high  high-accepted  top1-accepted (of %d texts; High answers at any rank of the top 3)'
          % len(cases))
    lines = []
    for framework in FRAMEWORKS:
        high = high_ok = top_ok = 0
        for i, case in enumerate(cases):
            for rank, control in enumerate(answers.get((framework, i), [])):
                ok = accepted(control['control']['id'], case['accepted'][framework])
                top_ok += ok and rank == 0
                if control['confidence'] == 'High':
                    high += 1
                    high_ok += ok
                if control['confidence'] == 'High' or (a.all and rank == 0):
                    lines.append('%-5s %-14s %d %-10s %.2f %-8s %s' % (
                        'ok' if ok else 'WRONG', framework, rank + 1, control['control']['id'],
                        control['similarity'], control['confidence'], case['text']))
        wrong += high - high_ok
        print('%-14s %3d  %3d  %3d' % (framework, high, high_ok, top_ok))
    print('\n'.join(lines))
    return 1 if wrong else 0


if __name__ == '__main__':
    sys.exit(main())
