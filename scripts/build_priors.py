#!/usr/bin/env python3
"""Build the control priors of the Lakemark mapping engine (Sources/Mapping/Catalogs/priors.tsv).

A prior is how often a control is named by public check-to-control mappings: the label sets of the
Prowler check mappings (Apache-2.0, prowler-cloud/prowler) and of the AWS Security Hub controls'
related requirements, as collected in shared/eval/mapping-dev. Only control ids are read and
counted; no text of those files is used or written (ids are facts, see the folder's README). The
CTID ATT&CK labels are not used, so the CTID development set stays out of sample.

The weight of a control is ln(1 + count) / ln(1 + largest count of its catalog), in 0...1. The
engine adds alpha * weight to a control's lexical similarity (alpha per catalog, header `#alpha`),
so among controls the text matches about equally well, the commonly mapped one ranks first.

Because the priors are learned from labelled data, they are evaluated out of sample: with
--fold k/K the texts whose near-duplicate group falls in fold k (SHA-1 of the group id modulo K, the
split scripts/eval_mapping.sh --held-out uses) are left out.

Usage:
    python3 scripts/build_priors.py [--shared DIR] [--out FILE] [--fold k/K] [--check]
"""

import argparse
import collections
import glob
import hashlib
import json
import math
import os
import sys

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
OUT = os.path.join(REPO, 'Sources', 'Mapping', 'Catalogs', 'priors.tsv')

# Catalog of each development-set framework key.
CATALOG = {'nist_800_53_r5': 'nist_800_53_r5', 'nist_csf_v2': 'nist_csf_v2', 'pci_dss_v4': 'pci_dss_v4',
           'iso_27001': 'iso_27001', 'soc2': 'tsc_2017'}
# Weight of the prior against the lexical similarity, per catalog (chosen with group-wise 5-fold
# cross-validation on the development sets, see scripts/eval_mapping.sh --held-out).
ALPHA = collections.OrderedDict([('nist_800_53_r5', 0.15), ('nist_csf_v2', 0.2), ('pci_dss_v4', 0.2),
                                 ('iso_27001', 0.15), ('tsc_2017', 0.15)])
# Calibration knots per catalog: the fused scores (lexical similarity + alpha * prior) reported as
# similarity 0.30, 0.50, 0.70 and 1.0, i.e. where the Low, Medium and High confidence buckets start. Fitted by
# scripts/fit_calibration.py on the Prowler-labelled texts (per fold for the held-out evaluation) and kept in
# scripts/calibration_knots.tsv; these are the fallbacks when that file is absent.
CALIBRATION = collections.OrderedDict([('nist_800_53_r5', (0.5, 0.85, 1.04, 1.2)),
                                       ('nist_csf_v2', (0.55, 0.75, 1.02, 1.2)),
                                       ('pci_dss_v4', (0.45, 0.6, 0.97, 1.25)),
                                       ('iso_27001', (0.4, 0.6, 1.2, 1.3)),
                                       ('tsc_2017', (0.45, 0.7, 1.1, 1.25))])
# Weight of the top answer's lead over the runner-up in the score that is calibrated (header `#margin`): on
# the development sets the lead separates right from wrong top answers better than the fused score alone.
# Chosen per catalog by scripts/fit_calibration.py (kept in scripts/calibration_knots.tsv); default 4.
MARGIN = collections.OrderedDict((catalog, 4) for catalog in ALPHA)
# Family penalties (headers `#diversity` and `#diversity_reranked`, Sources/Mapping/FamilyDiversity.swift): each
# further answer of a family already answered (800-53 base control, CSF category, PCI requirement at two levels)
# loses this much, in standard deviations of the text's top-50 lexical scores, and in units of the re-ranker's
# scorer. Chosen held out with scripts/eval_reranker.py --diversify (README, "Mapping engine"): the largest
# penalties that keep 800-53 exact hit@3 within a few texts while raising collapsed macro recall@10 on every set
# with families. ISO 27001 and TSC ids are their own family: no penalty (it could not change their order).
FAMILY_CATALOGS = ('nist_800_53_r5', 'nist_csf_v2', 'pci_dss_v4')
DIVERSITY = collections.OrderedDict((catalog, 0.5) for catalog in FAMILY_CATALOGS)
DIVERSITY_RERANKED = collections.OrderedDict((catalog, 1.0) for catalog in FAMILY_CATALOGS)
KNOTS_FILE = os.path.join(REPO, 'scripts', 'calibration_knots.tsv')
# Only the Prowler labels (Apache-2.0) are counted; the Security Hub lists (CC BY-SA 4.0) stay evaluation-only.
SOURCES_USED = ('prowler-',)


def fold_of(group, folds):
    """The cross-validation fold of a near-duplicate group."""
    return int(hashlib.sha1(group.encode('utf-8')).hexdigest(), 16) % folds


def resolve_shared(given):
    for candidate in (given, os.path.join(REPO, '..', 'shared'), os.environ.get('LAKEMARK_SHARED'), '/work/shared'):
        if candidate and os.path.isdir(os.path.join(candidate, 'eval', 'mapping-dev')):
            return candidate
    sys.exit('build_priors.py: no shared folder with eval/mapping-dev (pass --shared DIR)')


def training_rows(shared, framework, fold, folds, inner=None):
    """The labelled rows of `framework` that may be learned from: Prowler sources, outside fold `fold` (and
    outside fold `inner` too, when given: scripts/fit_calibration.py scores the training texts out of fold)."""
    for path in sorted(glob.glob(os.path.join(shared, 'eval', 'mapping-dev', framework + '.*.jsonl'))):
        with open(path, encoding='utf-8') as f:
            for line in f:
                if not line.strip():
                    continue
                row = json.loads(line)
                if not row['source'].startswith(SOURCES_USED):
                    continue
                if fold is not None and fold_of(row['group'], folds) in (fold, inner):
                    continue
                yield row


def count_labels(shared, fold, folds, inner=None):
    counts = collections.defaultdict(collections.Counter)
    texts = collections.Counter()
    for framework, catalog in CATALOG.items():
        for row in training_rows(shared, framework, fold, folds, inner):
            texts[catalog] += 1
            counts[catalog].update(row['gold'])
    return counts, texts


def calibration():
    """The bundled knots and margin weights: scripts/calibration_knots.tsv when present, else the defaults."""
    knots = collections.OrderedDict(CALIBRATION)
    margins = collections.OrderedDict(MARGIN)
    if os.path.exists(KNOTS_FILE):
        with open(KNOTS_FILE, encoding='utf-8') as f:
            for line in f:
                if line.strip() and not line.startswith('#'):
                    fields = line.rstrip('\n').split('\t')
                    knots[fields[0]] = tuple(float(v) for v in fields[1].split(','))
                    if len(fields) > 2:
                        margins[fields[0]] = float(fields[2])
    return knots, margins


def render(counts, texts, fold, folds):
    knots, margins = calibration()
    lines = ['#lakemark-priors\t1',
             '#alpha\t' + '\t'.join('%s=%g' % kv for kv in ALPHA.items()),
             '#margin\t' + '\t'.join('%s=%g' % kv for kv in margins.items()),
             '#diversity\t' + '\t'.join('%s=%g' % kv for kv in DIVERSITY.items()),
             '#diversity_reranked\t' + '\t'.join('%s=%g' % kv for kv in DIVERSITY_RERANKED.items()),
             '#calibration\t' + '\t'.join('%s=%s' % (c, ','.join('%g' % k for k in values))
                                          for c, values in knots.items()),
             '#source\tcontrol ids of the Prowler check mappings (%s)'
             % ', '.join('%s %d texts' % (c, texts[c]) for c in ALPHA),
             '#fold\t' + ('none' if fold is None else '%d/%d left out' % (fold, folds)),
             '#fields\tcatalog\tid\tweight']
    for catalog in ALPHA:
        c = counts.get(catalog)
        if not c:
            continue
        top = math.log1p(max(c.values()))
        for cid, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append('%s\t%s\t%.4f' % (catalog, cid, math.log1p(n) / top))
    return '\n'.join(lines) + '\n'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--shared', help='shared folder (default ../shared, $LAKEMARK_SHARED, /work/shared)')
    ap.add_argument('--out', default=OUT, help='output file (default: the bundled priors.tsv)')
    ap.add_argument('--fold', help='k/K: leave out the groups of fold k of K')
    ap.add_argument('--check', action='store_true', help='exit 1 when --out differs from what would be written')
    a = ap.parse_args(argv)
    fold = folds = None
    if a.fold:
        k, n = a.fold.split('/')
        fold, folds = int(k), int(n)
    counts, texts = count_labels(resolve_shared(a.shared), fold, folds)
    text = render(counts, texts, fold, folds)
    if a.check:
        current = open(a.out, encoding='utf-8').read() if os.path.exists(a.out) else ''
        print('priors are up to date' if current == text else 'stale: ' + a.out)
        return 0 if current == text else 1
    with open(a.out, 'w', encoding='utf-8') as f:
        f.write(text)
    print('wrote %s (%s)' % (os.path.relpath(a.out, os.getcwd()),
                             ', '.join('%s %d ids' % (c, len(counts.get(c, ()))) for c in ALPHA)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
