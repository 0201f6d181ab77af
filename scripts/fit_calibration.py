#!/usr/bin/env python3
"""Fit the similarity calibration knots of the Lakemark mapping engine (the `#calibration` line of priors.tsv).

The engine reports a similarity that is a piecewise-linear function of its fused score, with knots at the
scores where the Low (0.30), Medium (0.50) and High (0.70) buckets start and where the similarity reaches 1.0.
This script fits
those knots from labelled texts, per catalogue, so that each bucket means something, conservatively:

1. every training text is answered out of fold: for each inner fold j, an engine whose priors were built without
   fold j (and without the held-out fold k, with --fold k/K) and with identity-like knots (similarity = score / 6)
   answers the texts of fold j with its top control, so the score can be read back (the fused score plus the
   `#margin` weight times the top answer's lead over the runner-up) together with whether it is right (exact id);
2. a logistic curve of P(right | score) is fitted to those points: High starts where it reaches 0.70 (raised
   until the lower end of a two-sided 90 % Wilson interval of the precision of the points from there up reaches
   0.70; a High range holds at least MIN_HIGH_TEXTS points), Medium where it reaches 0.50
   (scripts/confidence_bounds.py); Low where the texts below Medium are right in at least
   LOW_TARGET (Laplace-smoothed, at least MIN_TEXTS texts). Without a High range the High knot is UNREACHABLE;
   another bucket no score range reaches is left (nearly) empty;
3. steps 1-2 run for each margin weight of MARGINS, and the one whose High bucket holds the most training texts
   is kept (`#margin` line; ties go to the smaller weight).

Training texts: the Prowler-labelled development texts (the labels build_priors.py counts; the CC BY-SA Security
Hub lists stay evaluation-only), without the groups of fold k when --fold k/K is given, so that
scripts/eval_mapping.sh can score fold k with knots that never saw it. Inner folds: the same group-wise split
(K = 5 without --fold).

Usage:
    python3 scripts/fit_calibration.py --bin LAKEMARK --catalog-dir DIR [--fold k/K] [--shared DIR]
                                       [--knots-out FILE]
Rewrites DIR/priors.tsv's #calibration line; --knots-out also writes the knots as TSV (catalog, 4 knots),
which build_priors.py reads for the bundled priors (scripts/calibration_knots.tsv).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_priors import CATALOG, count_labels, fold_of, render, resolve_shared, training_rows  # noqa: E402
from confidence_bounds import (HIGH_TARGET, MEDIUM_TARGET, Z90, bucket_counts, bucket_start,  # noqa: E402
                               marginal_start)

LOW_TARGET = 0.25
MIN_TEXTS = 3
# A High range must hold at least this many out-of-fold training texts: fewer are too little evidence (800-53's 72
# training texts once gave a High range of 10, all right, that was right for 9 of 13 texts held out, and a High AC-3
# for "Unusual volume of S3 GetObject calls from an unfamiliar IP address" in the auditor spot checks).
MIN_HIGH_TEXTS = 20
MARGINS = (2, 4, 8)
RAW_SCALE = 6.0
RAW_KNOTS = ','.join('%g' % (RAW_SCALE * s) for s in (0.3, 0.5, 0.7, 1.0))


DEFAULT_FOLDS = 5
# The High knot of a catalogue without a High range: a score no text reaches (fused scores, lead included, stay
# below about 20), so that texts scored above every training text (event-type boosts) are not High either.
UNREACHABLE = 1000.0


def training_texts(shared, fold, folds):
    """framework key -> [(text, gold set, inner fold)] of the Prowler texts outside fold k."""
    out = {}
    for framework in CATALOG:
        out[framework] = [(row['text'], set(row['gold']), fold_of(row['group'], folds))
                          for row in training_rows(shared, framework, fold, folds)]
    return out


def with_header(priors_text, name, values):
    """The priors file with its `#name` line replaced (or added after #alpha)."""
    line = '#%s\t' % name + '\t'.join('%s=%s' % kv for kv in values.items())
    lines = priors_text.splitlines()
    for i, old in enumerate(lines):
        if old.startswith('#%s\t' % name):
            lines[i] = line
            break
    else:
        lines.insert(next(i for i, old in enumerate(lines) if old.startswith('#alpha')) + 1, line)
    return '\n'.join(lines) + '\n'


def top_scores(binary, catalog_dir, framework, rows):
    """(fused score, correct) of the top answer of each text (texts without an answer are left out)."""
    out = []
    env = dict(os.environ, LAKEMARK_CATALOG_DIR=catalog_dir)
    for start in range(0, len(rows), 200):
        chunk = rows[start:start + 200]
        request = {'frameworks': [framework], 'min_similarity': 0.01, 'topk': 1,
                   'documents': [{'id': str(i), 'document': text} for i, (text, _, _) in enumerate(chunk)]}
        done = subprocess.run([binary, 'map'], input=json.dumps(request).encode('utf-8'), env=env,
                              stdout=subprocess.PIPE, check=True)
        answers = {}
        for block in json.loads(done.stdout)['frameworks']:
            for control in block['controls']:
                answers.setdefault(control['document_id'], control)
        for i, (_, gold, _) in enumerate(chunk):
            control = answers.get(str(i))
            if control:
                out.append((RAW_SCALE * control['similarity'], control['control']['id'] in gold))
    return out


def smoothed(hits, n):
    return (hits + 1.0) / (n + 2.0)


def lowest_smoothed_start(points, upper, target):
    """The lowest score t < upper such that the texts in [t, upper) are right at least `target` of the time
    (Laplace-smoothed, at least MIN_TEXTS texts)."""
    inside = sorted((p for p in points if p[0] < upper), key=lambda p: -p[0])
    best = None
    hits = 0
    for n, (score, correct) in enumerate(inside, 1):
        hits += correct
        if n < len(inside) and inside[n][0] == score:
            continue
        if n >= MIN_TEXTS and smoothed(hits, n) >= target:
            best = score
    return best


def fit(points):
    top = max((p[0] for p in points), default=1.0)
    high = bucket_start(points, HIGH_TARGET, Z90, min_texts=MIN_HIGH_TEXTS)
    if high is None:
        high = UNREACHABLE
    medium = marginal_start(points, MEDIUM_TARGET)
    if medium is None or medium >= high:
        medium = min(high, top + 0.05) - 0.02
    low = lowest_smoothed_start(points, medium, LOW_TARGET)
    if low is None:
        low = medium - 0.02
    low = max(low, 0.02)
    medium = max(medium, low + 0.01)
    high = max(high, medium + 0.01)
    knots = (round(low, 4), round(medium, 4), round(high, 4), round(max(top, high + 0.05), 4))
    return knots, sum(1 for p in points if p[0] >= knots[2])


def inner_engine(shared, work, fold, folds, inner, margin):
    """A catalog directory (in `work`) whose priors leave out fold `inner` (and `fold`), with raw knots."""
    directory = os.path.join(work, 'inner-%d-margin-%g' % (inner, margin))
    if not os.path.isdir(directory):
        shutil.copytree(os.path.join(work, 'base'), directory)
    counts, texts = count_labels(shared, inner if fold is None else fold, folds, None if fold is None else inner)
    fresh = render(counts, texts, fold, folds)
    raw = {catalog: RAW_KNOTS for catalog in CATALOG.values()}
    with open(os.path.join(directory, 'priors.tsv'), 'w', encoding='utf-8') as f:
        f.write(with_header(with_header(fresh, 'calibration', raw), 'margin',
                            {catalog: margin for catalog in CATALOG.values()}))
    return directory


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--bin', required=True, help='the lakemark executable')
    ap.add_argument('--catalog-dir', required=True, help='catalog directory whose priors.tsv gets the knots')
    ap.add_argument('--fold', help='k/K: fit without the groups of fold k of K')
    ap.add_argument('--shared', help='shared folder (default ../shared, $LAKEMARK_SHARED, /work/shared)')
    ap.add_argument('--knots-out', help='also write the knots to this TSV file')
    a = ap.parse_args(argv)
    fold = folds = None
    if a.fold:
        k, n = a.fold.split('/')
        fold, folds = int(k), int(n)
    shared = resolve_shared(a.shared)
    priors_path = os.path.join(a.catalog_dir, 'priors.tsv')
    with open(priors_path, encoding='utf-8') as f:
        priors_text = f.read()
    folds = folds or DEFAULT_FOLDS
    work = tempfile.mkdtemp(prefix='lakemark-calibration.')
    try:
        os.makedirs(os.path.join(work, 'base'))
        for name in os.listdir(a.catalog_dir):
            if name.endswith('.tsv') and name != 'priors.tsv':
                shutil.copy(os.path.join(a.catalog_dir, name), os.path.join(work, 'base'))
        texts = training_texts(shared, fold, folds)
        best = {}
        for margin in MARGINS:
            points = {framework: [] for framework in texts}
            for inner in range(folds):
                if inner == fold:
                    continue
                directory = inner_engine(shared, work, fold, folds, inner, margin)
                for framework, rows in texts.items():
                    points[framework] += top_scores(a.bin, directory, framework,
                                                    [r for r in rows if r[2] == inner])
            for framework, found in points.items():
                knots, high = fit(found)
                catalog = CATALOG[framework]
                if catalog not in best or high > best[catalog][2]:
                    best[catalog] = (margin, knots, high, bucket_counts(found, knots[1], knots[2]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for catalog, (margin, _, _, (hn, hr, mn, mr)) in best.items():
        print('%s: margin %g, out of fold High %d texts (%d right), Medium %d (%d right)'
              % (catalog, margin, hn, hr, mn, mr), file=sys.stderr)
    rendered = {c: ','.join('%g' % k for k in v[1]) for c, v in best.items()}
    margins = {c: '%g' % v[0] for c, v in best.items()}
    with open(priors_path, 'w', encoding='utf-8') as f:
        f.write(with_header(with_header(priors_text, 'calibration', rendered), 'margin', margins))
    if a.knots_out:
        with open(a.knots_out, 'w', encoding='utf-8') as f:
            f.write('# generated by scripts/fit_calibration.py: catalog, the scores where Low, Medium and High '
                    'start and where the similarity reaches 1.0, the margin weight\n')
            for c, v in rendered.items():
                f.write('%s\t%s\t%s\n' % (c, v, margins[c]))
    print(' '.join('%s=%s/margin %s' % (c, v, margins[c]) for c, v in rendered.items()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
