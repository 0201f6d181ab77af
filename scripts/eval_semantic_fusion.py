#!/usr/bin/env python3
"""Measures what fusing all-MiniLM-L6-v2 similarities into the engine's ranking would give (evaluation only).

For every development set, the held-out engine (scripts/eval_heldout_mapper.py with fold catalogs, as
scripts/eval_mapping.sh --held-out builds them) returns its top 50 controls with fused similarities;
`lakemark embed` (Sources/Semantic) embeds the texts and the controls (catalog title + body, the text the
engine would precompute at build time); the rows then re-rank the engine's candidates with
`similarity + w * cosine`, or fuse the two rankings by reciprocal rank (RRF, k = 60). Printed with the
scorer's own metric code: hit@1 / hit@3 / MRR / macro recall@10, exact and collapsed.

Usage: eval_semantic_fusion.py --bin LAKEMARK --folds-dir DIR --folds K [--shared DIR] [--model DIR]
"""

import argparse
import collections
import glob
import hashlib
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..'))
SETS = [('nist_800_53_r5', 'nist_800_53_r5', ('aws-securityhub', 'prowler-aws')),
        ('nist_800_53_r5_ctid', 'nist_800_53_r5', ('ctid',)), ('pci_dss_v4', 'pci_dss_v4', None),
        ('nist_csf_v2', 'nist_csf_v2', None), ('iso_27001', 'iso_27001', None), ('soc2', 'tsc_2017', None)]
ROWS = [('lexical', None), ('+0.3 cos', 0.3), ('+0.5 cos', 0.5), ('+1.0 cos', 1.0), ('rrf', 'rrf')]


def escape(text):
    return text.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n').replace('\r', '\\r')


def embed(binary, model, rows):
    """{id: vector} for [(id, text)] through `lakemark embed --json`."""
    body = ''.join('%s\t%s\n' % (i, escape(t)) for i, t in rows).encode('utf-8')
    done = subprocess.run([binary, 'embed', '--model', model, '--json'], input=body, stdout=subprocess.PIPE,
                          check=True)
    out = {}
    for line in done.stdout.decode('utf-8').splitlines():
        row = json.loads(line)
        out[row['id']] = np.array(row['vector'], dtype=np.float32)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', required=True)
    ap.add_argument('--folds-dir', required=True)
    ap.add_argument('--folds', type=int, default=5)
    ap.add_argument('--shared', default=os.environ.get('LAKEMARK_SHARED', '/work/shared'))
    ap.add_argument('--model', default=os.path.join(REPO, 'models', 'all-minilm-l6-v2'))
    a = ap.parse_args(argv)
    dev = os.path.join(a.shared, 'eval', 'mapping-dev')
    sys.path.insert(0, dev)
    import score_dev  # noqa: E402 (evaluation-only helper from the shared folder)

    catalogs = os.path.join(a.folds_dir, 'fold-0')
    controls = collections.defaultdict(dict)
    for name in ('nist_800_53_r5', 'nist_csf_v2', 'pci_dss_v4', 'iso_27001', 'tsc_2017'):
        rows = []
        for line in open(os.path.join(catalogs, name + '.tsv'), encoding='utf-8'):
            if not line.startswith('#') and line.strip():
                f = line.rstrip('\n').split('\t')
                rows.append((f[0], f[2] + '. ' + f[4]))
        controls[name] = embed(a.bin, a.model, rows)
    heldout = [sys.executable, os.path.join(HERE, 'eval_heldout_mapper.py'), '--bin', a.bin,
               '--folds-dir', a.folds_dir, '--folds', str(a.folds), '--dev-dir', dev]
    for set_name, catalog, sources in SETS:
        framework = set_name.replace('_ctid', '')
        pattern = 'nist_800_53_r5.*' if framework == 'nist_800_53_r5' else framework + '.*'
        items = []
        for path in sorted(glob.glob(os.path.join(dev, pattern + '.jsonl'))):
            items += [r for r in score_dev.read_set(path) if sources is None or r['source'] in sources]
        key = 'aicpa_tsc' if framework == 'soc2' else framework
        request = {'frameworks': [key], 'min_similarity': 0.01, 'topk': 50,
                   'documents': [{'id': 'd%d' % i, 'document': r['text']} for i, r in enumerate(items)]}
        done = subprocess.run(heldout, input=json.dumps(request).encode('utf-8'), stdout=subprocess.PIPE,
                              check=True)
        lexical = collections.defaultdict(dict)
        for c in json.loads(done.stdout)['frameworks'][0]['controls']:
            lexical[int(c['document_id'][1:])][c['control']['id']] = c['similarity']
        queries = embed(a.bin, a.model, [(hashlib.sha1(r['text'].encode()).hexdigest(), r['text']) for r in items])
        ids = sorted(controls[catalog])
        matrix = np.stack([controls[catalog][i] for i in ids])
        position = {c: j for j, c in enumerate(ids)}
        print('== %s (%d texts)' % (set_name, len(items)))
        for label, weight in ROWS:
            ranking = {}
            for i, r in enumerate(items):
                cos = matrix @ queries[hashlib.sha1(r['text'].encode()).hexdigest()]
                lex = lexical.get(i, {})
                if weight is None:
                    scores = lex
                elif weight == 'rrf':
                    scores = collections.defaultdict(float)
                    for rank, c in enumerate(sorted(lex, key=lambda c: -lex[c])):
                        scores[c] += 1 / (60 + rank)
                    for rank, j in enumerate(np.argsort(-cos)[:50]):
                        scores[ids[j]] += 1 / (60 + rank)
                else:
                    scores = {c: s + weight * float(cos[position[c]]) for c, s in lex.items() if c in position}
                ranking[i] = [(c, s, 'x') for c, s in sorted(scores.items(), key=lambda kv: -kv[1])[:10]]
            m = score_dev.evaluate(framework, [r['gold'] for r in items], ranking)
            cells = ['%.3f %.3f %.3f %.3f' % (m[g]['micro']['hit@1'], m[g]['micro']['hit@3'], m[g]['micro']['mrr'],
                                              m[g]['macro']['recall@10']) for g in ('exact', 'collapsed')]
            print('  %-10s | exact %s | collapsed %s' % (label, cells[0], cells[1]))
        print()


if __name__ == '__main__':
    main()
