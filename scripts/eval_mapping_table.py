#!/usr/bin/env python3
"""Prints one development set's table for scripts/eval_mapping.sh from score_dev.py --json outputs.

Usage: eval_mapping_table.py SET RESULT.json [RESULT.json ...]

Rows: every ranker of the pooled block (all files of the set); columns hit@1 / hit@3 / MRR / macro
recall@10 at exact and collapsed granularity; then the confidence buckets of the held-out row and
the issue 6 acceptance checks (held-out row against minilm and prior; 800-53 absolute targets), for the lexical
held-out row `lakemark-ho` and the semantic re-ranker's held-out row `lakemark-rr` when present.
"""

import json
import sys

ORDER = ['lakemark', 'lakemark-ho', 'lakemark-rr', 'prior', 'bm25', 'minilm']


def main(argv):
    name, paths = argv[0], argv[1:]
    results, n = {}, None
    for path in paths:
        with open(path, encoding='utf-8') as f:
            block = json.load(f)['blocks'][0]
        for ranker, r in block['results'].items():
            results[ranker] = r
            n = r['exact']['n']
    print('== %s (%s texts)' % (name, n))
    print('  %-12s | %-27s | %-27s' % ('ranker', 'exact h@1 h@3 MRR mR@10', 'collapsed h@1 h@3 MRR mR@10'))
    for ranker in sorted(results, key=lambda k: ORDER.index(k) if k in ORDER else 99):
        cells = []
        for gran in ('exact', 'collapsed'):
            r = results[ranker][gran]
            cells.append('%.3f %.3f %.3f %.3f' % (r['micro']['hit@1'], r['micro']['hit@3'], r['micro']['mrr'],
                                                  r['macro']['recall@10']))
        print('  %-12s | %-27s | %-27s' % (ranker, cells[0], cells[1]))
    for row in ('lakemark-ho', 'lakemark-rr'):
        ho = results.get(row)
        if not ho:
            continue
        buckets = []
        for bucket, v in ho['exact']['confidence'].items():
            coll = ho['collapsed']['confidence'].get(bucket, {}).get('precision@1', 0.0)
            buckets.append('%s %d: %.2f/%.2f' % (bucket, v['n'], v['precision@1'], coll))
        print('  %s top-1 precision by confidence (exact/collapsed): ' % row + '; '.join(buckets))
        checks = []
        for bucket, want in (('High', 0.7), ('Medium', 0.4)):
            v = ho['exact']['confidence'].get(bucket)
            if v and v['n']:
                p = v['precision@1']
                checks.append('%s bucket top-1 precision (exact) %.2f %s %.2f (%d texts)'
                              % (bucket, p, '>=' if p >= want else '<', want, v['n']))
        mini = results.get('minilm')
        prior = results.get('prior')
        for gran in ('exact', 'collapsed'):
            h3 = ho[gran]['micro']['hit@3']
            if mini:
                want = mini[gran]['micro']['hit@3'] + 0.10
                checks.append('%s hit@3 %.3f %s minilm+0.10 = %.3f' % (gran, h3, '>=' if h3 >= want else '<', want))
            if prior:
                got, want = ho[gran]['macro']['recall@10'], 2 * prior[gran]['macro']['recall@10']
                checks.append('%s macro R@10 %.3f %s 2x prior = %.3f' % (gran, got, '>=' if got >= want else '<',
                                                                          want))
        if name == 'nist_800_53_r5':
            c = ho['collapsed']['micro']
            checks.append('collapsed hit@3 %.3f %s 0.80' % (c['hit@3'], '>=' if c['hit@3'] >= 0.80 else '<'))
            checks.append('collapsed MRR %.3f %s 0.65' % (c['mrr'], '>=' if c['mrr'] >= 0.65 else '<'))
        for check in checks:
            print('  target (%s): ' % row + check + ('' if '>=' in check else '   <-- below'))
    print()


if __name__ == '__main__':
    main(sys.argv[1:])
