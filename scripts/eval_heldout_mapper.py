#!/usr/bin/env python3
"""Held-out wrapper around `lakemark map` for scripts/eval_mapping.sh --held-out (evaluation only).

Implements the map API contract (request on stdin, response on stdout). Each document is answered by
an engine whose learned parts were built without the document's near-duplicate group: the text's
development-set id (first 16 hex digits of SHA-1 of the text) gives its `group`, the group its fold
(scripts/build_priors.py fold_of), and the fold a catalog directory FOLDS_DIR/fold-<k> whose
priors.tsv left that fold out. Texts of no development set go to the bundled engine.

Usage: eval_heldout_mapper.py --bin LAKEMARK --folds-dir DIR --folds K --dev-dir DEV
"""

import argparse
import glob
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_priors import fold_of  # noqa: E402


def groups_by_id(dev_dir):
    out = {}
    for path in glob.glob(os.path.join(dev_dir, '*.jsonl')):
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    out[row['id']] = row['group']
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', required=True)
    ap.add_argument('--folds-dir', required=True)
    ap.add_argument('--folds', type=int, required=True)
    ap.add_argument('--dev-dir', required=True)
    a = ap.parse_args(argv)
    request = json.load(sys.stdin)
    groups = groups_by_id(a.dev_dir)
    parts = {}
    for document in request.get('documents') or []:
        text_id = hashlib.sha1(document['document'].encode('utf-8')).hexdigest()[:16]
        group = groups.get(text_id)
        fold = fold_of(group, a.folds) if group else None
        parts.setdefault(fold, []).append(document)
    answers = {}
    for fold, documents in parts.items():
        env = dict(os.environ)
        if fold is not None:
            env['LAKEMARK_CATALOG_DIR'] = os.path.join(a.folds_dir, 'fold-%d' % fold)
        sub = dict(request, documents=documents)
        done = subprocess.run([a.bin, 'map'], input=json.dumps(sub).encode('utf-8'), env=env,
                              stdout=subprocess.PIPE, check=True)
        for framework in json.loads(done.stdout)['frameworks']:
            answers.setdefault(framework['framework_id'], []).extend(framework['controls'])
    order = {d['id']: i for i, d in enumerate(request.get('documents') or [])}
    frameworks = []
    for key in request.get('frameworks') or []:
        controls = answers.get(key, [])
        controls.sort(key=lambda c: order.get(c['document_id'], 0))  # stable: keeps each document's order
        frameworks.append({'framework_id': key, 'controls': controls})
    json.dump({'frameworks': frameworks}, sys.stdout)


if __name__ == '__main__':
    main()
