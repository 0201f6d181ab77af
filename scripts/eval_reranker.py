#!/usr/bin/env python3
"""Measures a learned re-ranker over the engine's candidates, held out (evaluation only, nothing is bundled).

For each group-wise fold k, a catalog directory gets priors built without fold k (scripts/build_priors.py
--fold) in two variants: `full` (the engine as shipped, with identity-like calibration knots and no margin, so
the reported similarity is the fused score / RAW_SCALE) and `lex` (no priors, no crosswalk, no event priors:
the plain BM25F similarity). Every text is answered by the engines of its own fold (top 50 of each), `lakemark
embed` (Sources/Semantic) embeds texts and controls (catalog title + body), and each of the engine's top N
candidates gets features: fused score, lexical similarity, log rank, gap to the top, prior weight, the boost
that is neither (crosswalk projection and event priors), control depth, family frequency in the training
labels and, with the model, the MiniLM cosine to the control's catalog text (its value, rank and gap to the
best) and to the control's and the family's prototype (the normalised mean embedding of the training texts
labelled with it).

A linear scorer per framework and feature set is fitted on the Prowler-labelled texts outside fold k (the
Security Hub labels are CC BY-SA and evaluation-only; CTID texts are never fitted on), by default listwise: a
softmax over each text's candidates that puts the most mass on its gold ids. It re-orders the candidates of
fold k; the rest of the ranking keeps its order. Printed with the scorer's metric code
(shared/eval/mapping-dev/score_dev.py): hit@1 / hit@3 / MRR / macro recall@10, exact and collapsed, for
`engine` (the shipped ranking) and the feature sets `lex` (no model), `cos`, `proto`, `all`, `knn` and `xw`, with a
per-source breakdown where a set mixes sources. The `stratus` set is scripts/eval_events.py's event-phrased
CloudTrail texts (CTID-derived labels, outside the development sets): the engine built from all labels
answers it and the scorer is fitted on every Prowler text.

Alternatives measured against the shipped `proto` scorer (README, "Mapping engine"; none is bundled):
- `knn`: `proto` plus the MiniLM-cosine-weighted vote of the --knn nearest training texts for the control and
  for its family (a training text's neighbours exclude its own fold, as the scored fold is excluded; with
  --knn-share a neighbour's vote is split over its labels);
- `xw`: `proto` plus the text's best cosine to the 800-53 prototypes (built from the 800-53 Prowler texts of the
  training folds other than the text's own) of the 800-53 controls crosswalk.tsv links to the control, and the
  best of that over the control's family (0 on the 800-53 sets);
- --logit-adjust TAU (repeatable): every variant also scored with TAU * log(label frequency in the training
  texts, add-one) subtracted from its scores, the standard correction for long-tail recall, per control or
  (--la-level family) per family; rows `<variant>-la<TAU>`;
- --family-mass: families ordered by the summed softmax probability of their candidates (`<variant>-mass`);
- --diversify P (repeatable, with --diversify-keep K): every variant also ordered family-diverse as the engine
  does (Sources/Mapping/FamilyDiversity.swift; the bundled penalties are build_priors.py's DIVERSITY*): after the
  first K by score, each next candidate maximises its score minus P per answer of its family already placed, P in
  units of the scorer's value, and for the `engine` row in standard deviations of the text's engine scores
  (rows `<variant>-dP/K`); the fold catalogs themselves carry no penalty, so every other row is the plain order;
- --center: cosines between embeddings centred on the training texts' mean (hubness reduction).
--high-variant names the variant whose High bucket is measured (default `proto`); --dump writes each variant's
rankings to WORK/rankings-SET.json.

Usage: eval_reranker.py --bin LAKEMARK --catalogs DIR --work DIR [--folds K] [--shared DIR] [--model DIR]
                        [--set NAME]... [--fit listwise|logistic] [--label exact|collapsed] [--l2 X]
                        [--top-n N] [--union M] [--holdout-provider] [--shuffle-prototypes]
                        [--knn K] [--knn-share] [--logit-adjust TAU]... [--la-level exact|family]
                        [--family-mass] [--diversify P]... [--diversify-keep K]... [--center]
                        [--high-variant NAME] [--dump]
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

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..'))
sys.path.insert(0, HERE)
from build_priors import ALPHA, fold_of  # noqa: E402
from confidence_bounds import familiarity_floor, probability_starts  # noqa: E402

RAW_SCALE = 4.0
# Feature sets: without the model (lexical engine only), with the MiniLM cosine to the control's catalog text,
# with the cosine to the control's prototype (mean embedding of the training texts labelled with it), both.
FEATURES = collections.OrderedDict([
    ('lex', ['fused', 'lex', 'logrank', 'gap', 'prior', 'boost', 'depth', 'family']),
    ('cos', ['fused', 'lex', 'logrank', 'gap', 'prior', 'boost', 'depth', 'family', 'cos', 'logcosrank', 'cosgap']),
    ('proto', ['fused', 'lex', 'logrank', 'gap', 'prior', 'boost', 'depth', 'family', 'proto', 'protofam']),
    ('all', ['fused', 'lex', 'logrank', 'gap', 'prior', 'boost', 'depth', 'family', 'cos', 'logcosrank', 'cosgap',
             'proto', 'protofam']),
    ('knn', ['fused', 'lex', 'logrank', 'gap', 'prior', 'boost', 'depth', 'family', 'proto', 'protofam', 'knn',
             'knnfam']),
    ('xw', ['fused', 'lex', 'logrank', 'gap', 'prior', 'boost', 'depth', 'family', 'proto', 'protofam', 'xw',
            'xwfam'])])
# (set name, framework key for score_dev, catalog, sources or None for all, framework key of the map API)
SETS = [('nist_800_53_r5', 'nist_800_53_r5', 'nist_800_53_r5', ('aws-securityhub', 'prowler-aws'),
         'nist_800_53_r5'),
        ('nist_800_53_r5_ctid', 'nist_800_53_r5', 'nist_800_53_r5', ('ctid',), 'nist_800_53_r5'),
        ('nist_csf_v2', 'nist_csf_v2', 'nist_csf_v2', None, 'nist_csf_v2'),
        ('pci_dss_v4', 'pci_dss_v4', 'pci_dss_v4', None, 'pci_dss_v4'),
        ('iso_27001', 'iso_27001', 'iso_27001', None, 'iso_27001'),
        ('soc2', 'soc2', 'tsc_2017', None, 'soc2'),
        ('stratus', 'nist_800_53_r5', 'nist_800_53_r5', None, 'nist_800_53_r5')]


def escape(text):
    return text.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n').replace('\r', '\\r')


def sha(text):
    return hashlib.sha1(text.encode('utf-8')).hexdigest()


class Embeddings:
    """Vectors by SHA-1 of the text, cached in an .npz under the work directory."""

    def __init__(self, binary, model, path):
        self.binary, self.model, self.path = binary, model, path
        self.vectors = {}
        if os.path.exists(path):
            data = np.load(path)
            self.vectors = {k: data[k] for k in data.files}

    def get(self, texts):
        missing = sorted({sha(t): t for t in texts if sha(t) not in self.vectors}.items())
        if missing:
            body = ''.join('%s\t%s\n' % (k, escape(t)) for k, t in missing).encode('utf-8')
            done = subprocess.run([self.binary, 'embed', '--model', self.model, '--json'], input=body,
                                  stdout=subprocess.PIPE, check=True)
            for line in done.stdout.decode('utf-8').splitlines():
                row = json.loads(line)
                self.vectors[row['id']] = np.array(row['vector'], dtype=np.float32)
            np.savez(self.path, **self.vectors)
        return [self.vectors[sha(t)] for t in texts]


def read_priors(path):
    """catalog -> {id: weight} of a priors.tsv."""
    out = collections.defaultdict(dict)
    for line in open(path, encoding='utf-8'):
        if line.startswith('#') or not line.strip():
            continue
        catalog, cid, weight = line.rstrip('\n').split('\t')
        out[catalog][cid] = float(weight)
    return out


def rewrite_header(path, alpha_zero):
    lines = []
    for line in open(path, encoding='utf-8').read().splitlines():
        # The fit and the replay read the engine's plain order (--diversify replays the family penalties).
        if line.startswith(('#calibration\t', '#margin\t', '#diversity\t', '#diversity_reranked\t')):
            continue
        if line.startswith('#alpha\t') and alpha_zero:
            line = '#alpha\t' + '\t'.join('%s=0' % c for c in ALPHA)
        lines.append(line)
        if line.startswith('#alpha\t'):
            scale = RAW_SCALE if not alpha_zero else 1.0
            knots = ','.join('%g' % (scale * s) for s in (0.3, 0.5, 0.7, 1.0))
            lines.append('#calibration\t' + '\t'.join('%s=%s' % (c, knots) for c in ALPHA))
            lines.append('#margin\t' + '\t'.join('%s=0' % c for c in ALPHA))
    open(path, 'w', encoding='utf-8').write('\n'.join(lines) + '\n')


def prepare_folds(catalogs, work, shared, folds):
    # fold-K (K = folds) is the engine built from all labels, for texts outside the development sets.
    for k in range(folds + 1):
        for variant in ('full', 'lex'):
            target = os.path.join(work, 'fold-%d' % k, variant)
            if os.path.exists(os.path.join(target, 'priors.tsv')):
                continue
            os.makedirs(target, exist_ok=True)
            for path in glob.glob(os.path.join(catalogs, '*.tsv')):
                shutil.copy(path, target)
            fold_args = ['--fold', '%d/%d' % (k, folds)] if k < folds else []
            subprocess.run([sys.executable, os.path.join(HERE, 'build_priors.py'), '--shared', shared] + fold_args
                           + ['--out', os.path.join(target, 'priors.tsv')], check=True, stdout=subprocess.DEVNULL)
            rewrite_header(os.path.join(target, 'priors.tsv'), alpha_zero=variant == 'lex')
            if variant == 'lex':
                for name in ('crosswalk.tsv', 'event_priors.tsv'):
                    os.remove(os.path.join(target, name))


def run_engine(binary, directory, key, texts, topk):
    """[{id: similarity}] per text from `lakemark map` with the catalogs of `directory`."""
    request = {'frameworks': [key], 'min_similarity': 0.01, 'topk': topk,
               'documents': [{'id': 'd%d' % i, 'document': t} for i, t in enumerate(texts)]}
    env = dict(os.environ, LAKEMARK_CATALOG_DIR=directory)
    done = subprocess.run([binary, 'map'], input=json.dumps(request).encode('utf-8'), env=env,
                          stdout=subprocess.PIPE, check=True)
    out = [dict() for _ in texts]
    for framework in json.loads(done.stdout)['frameworks']:
        for c in framework['controls']:
            out[int(c['document_id'][1:])][c['control']['id']] = c['similarity']
    return out


def collapse(framework, cid):
    if framework == 'nist_800_53_r5':
        return cid.split('(')[0]
    if framework == 'nist_csf_v2':
        return cid.split('-')[0]
    if framework == 'pci_dss_v4':
        return '.'.join(cid.split('.')[:2])
    return cid


def depth(framework, cid):
    if framework == 'nist_800_53_r5':
        return 1.0 if '(' in cid else 0.0
    if framework == 'nist_csf_v2':
        return 0.0 if '-' in cid else 1.0
    if framework == 'pci_dss_v4':
        return float(cid.count('.'))
    return 0.0


def candidate_rows(framework, alpha, full, lex, priors, cos, ids, family_freq, top_n, union, proto):
    """[(control id, feature dict)] for one text: the engine's top_n, plus the `union` best by catalog cosine."""
    ranked = list(full)  # the engine's order (similarities are rounded to hundredths)
    cands = ranked[:top_n]
    if cos is None:  # no catalog cosines (the `lex` and `proto` feature sets do not use them)
        cos, ids = np.zeros(0), []
    order = np.argsort(-cos)
    cos_rank = np.empty(len(ids), dtype=np.int64)
    cos_rank[order] = np.arange(len(ids))
    position = {c: j for j, c in enumerate(ids)}
    if union:
        for j in order[:union]:
            if ids[j] not in cands:
                cands.append(ids[j])
    top = full[ranked[0]] * RAW_SCALE if ranked else 0.0
    best_cos = float(cos[order[0]]) if len(ids) else 0.0
    rows = []
    for c in cands:
        fused = full.get(c, 0.0) * RAW_SCALE
        lexical = lex.get(c, 0.0)
        prior = priors.get(c, 0.0)
        j = position.get(c)
        rank = ranked.index(c) if c in full else len(ranked) + 20
        f = {'fused': fused, 'lex': lexical, 'logrank': np.log1p(rank), 'gap': top - fused, 'prior': prior,
             'boost': fused - lexical - alpha * prior if c in full else 0.0, 'depth': depth(framework, c),
             'family': family_freq.get(collapse(framework, c), 0.0),
             'cos': float(cos[j]) if j is not None else 0.0,
             'logcosrank': np.log1p(cos_rank[j]) if j is not None else np.log1p(len(ids)),
             'cosgap': best_cos - float(cos[j]) if j is not None else 1.0,
             'proto': proto[0].get(c, 0.0), 'protofam': proto[1].get(collapse(framework, c), 0.0),
             'knn': proto[2].get(c, 0.0) if len(proto) > 2 else 0.0,
             'knnfam': proto[3].get(collapse(framework, c), 0.0) if len(proto) > 2 else 0.0,
             'logfreq': proto[4].get(c, proto[4].get(collapse(framework, c), proto[4].get('', 0.0)))
             if len(proto) > 4 else 0.0,
             'xw': proto[5][0].get(c, 0.0) if len(proto) > 5 else 0.0,
             'xwfam': proto[5][1].get(collapse(framework, c), 0.0) if len(proto) > 5 else 0.0}
        rows.append((c, f))
    return rows


def fit_logistic(x, y, l2):
    """Weights (with bias last) of an L2-regularised logistic regression, by Newton's method."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x1.shape[1])
    reg = np.full(x1.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(30):
        p = 1 / (1 + np.exp(-(x1 @ w)))
        grad = x1.T @ (p - y) + reg * w
        hess = (x1 * (p * (1 - p))[:, None]).T @ x1 + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return w


def fit_listwise(groups, l2, steps=400, rate=0.05):
    """Weights of a linear scorer whose per-text softmax puts the most mass on the gold candidates.

    groups: [(features [n x d], gold mask [n])] per training text (texts without a gold candidate are skipped).
    Adam on the mean negative log of the gold mass plus l2/2 |w|^2 / texts."""
    groups = [(x, g) for x, g in groups if g.any()]
    d = groups[0][0].shape[1]
    width = max(len(x) for x, _ in groups)
    xs = np.zeros((len(groups), width, d))
    gold = np.zeros((len(groups), width))
    mask = np.zeros((len(groups), width))
    for t, (x, g) in enumerate(groups):
        xs[t, :len(x)] = x
        gold[t, :len(x)] = g
        mask[t, :len(x)] = 1
    w = np.zeros(d)
    m1, m2 = np.zeros(d), np.zeros(d)
    for step in range(1, steps + 1):
        z = xs @ w
        z = np.where(mask > 0, z, -1e9)
        z -= z.max(1, keepdims=True)
        p = np.exp(z) * mask
        p /= p.sum(1, keepdims=True)
        q = p * gold
        q /= q.sum(1, keepdims=True)
        grad = np.einsum('tn,tnd->d', p - q, xs) / len(groups) + l2 * w / len(groups)
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= rate * (m1 / (1 - 0.9 ** step)) / (np.sqrt(m2 / (1 - 0.999 ** step)) + 1e-8)
    return np.append(w, 0.0)


def label_statistics(framework, golds, proto_labels, vectors):
    """Family frequencies and prototypes learned from training texts.

    golds: each training text's gold ids (family frequencies); proto_labels: the ids its vector counts for in the
    prototypes (the gold ids, or shuffled ones for the sanity check); vectors: the texts' embeddings [n x d].
    Returns ({collapsed id: share of texts}, ((control ids, unit prototypes), (family ids, unit prototypes)));
    a prototype is the normalised mean embedding of the texts labelled with the control (or family)."""
    family = collections.Counter()
    members, fam_members = collections.defaultdict(list), collections.defaultdict(list)
    for n, (gold, labels) in enumerate(zip(golds, proto_labels)):
        for g in {collapse(framework, g) for g in gold}:
            family[g] += 1
        for g in set(labels):
            members[g].append(n)
        for g in {collapse(framework, g) for g in labels}:
            fam_members[g].append(n)
    family_freq = {g: c / max(len(golds), 1) for g, c in family.items()}

    def prototypes(groups):
        names = sorted(groups)
        means = np.stack([vectors[groups[c]].mean(0) for c in names])
        return names, means / (np.linalg.norm(means, axis=1, keepdims=True) + 1e-9)

    return family_freq, (prototypes(members), prototypes(fam_members))


def knn_votes(framework, query, vectors, golds, allowed, k, share):
    """({control: vote}, {family: vote}) of the k training texts nearest to `query` (MiniLM cosine) among the
    `allowed` ones: each neighbour adds its cosine to each of its gold ids (divided by their number with
    `share`), normalised by the neighbours' total cosine."""
    sims = np.where(allowed, vectors @ query, -2.0)
    nearest = np.argsort(-sims, kind='stable')[:k]
    total = sum(max(float(sims[j]), 0.0) for j in nearest) + 1e-9
    controls, families = collections.Counter(), collections.Counter()
    for j in nearest:
        weight = max(float(sims[j]), 0.0) / total
        gold = set(golds[j])
        fams = {collapse(framework, g) for g in gold}
        for g in gold:
            controls[g] += weight / (len(gold) if share else 1)
        for g in fams:
            families[g] += weight / (len(fams) if share else 1)
    return dict(controls), dict(families)


def prototype_features(prototypes, query):
    """({control: cosine}, {family: cosine}) of a text's embedding to the prototypes."""
    (proto_ids, pc), (proto_fams, pf) = prototypes
    return dict(zip(proto_ids, (pc @ query).tolist())), dict(zip(proto_fams, (pf @ query).tolist()))


def fit_scorer(framework, rows, golds, names, label, fit, l2):
    """(mean, std, weights with the bias last) of a linear scorer over standardised features.

    rows: candidate_rows per training text; golds: its gold ids; label: 'exact' or 'collapsed' (what counts as a
    gold candidate); fit: 'listwise' or 'logistic'."""
    def key(cid):
        return collapse(framework, cid) if label == 'collapsed' else cid

    xs, ys, groups = [], [], []
    for text_rows, gold in zip(rows, golds):
        wanted = {key(g) for g in gold}
        for c, f in text_rows:
            xs.append([f[n] for n in names])
            ys.append(1.0 if key(c) in wanted else 0.0)
        groups.append(len(text_rows))
    x = np.array(xs)
    mean, std = x.mean(0), x.std(0) + 1e-9
    xz, yz = (x - mean) / std, np.array(ys)
    if fit == 'listwise':
        bounds = np.cumsum([0] + groups)
        w = fit_listwise([(xz[b:e], yz[b:e]) for b, e in zip(bounds, bounds[1:]) if e > b], l2)
    else:
        w = fit_logistic(xz, yz, l2)
    return mean, std, w


def diverse_order(framework, ids, z, penalty, keep):
    """Indices of ids in a greedy order: after the first `keep`, each next one maximises its score minus
    `penalty` times the number of ids of its family already placed."""
    order = [int(j) for j in np.argsort(-z, kind='stable')]
    placed, seen = order[:keep], collections.Counter(collapse(framework, ids[j]) for j in order[:keep])
    rest = order[keep:]
    while rest:
        best = max(rest, key=lambda j: (z[j] - penalty * seen[collapse(framework, ids[j])], -rest.index(j)))
        rest.remove(best)
        placed.append(best)
        seen[collapse(framework, ids[best])] += 1
    return placed


def rerank(rows, full, names, scorer, tau=0.0, framework=None, penalty=0.0, keep=1):
    """(top 10 ids re-ordered by the scorer, softmax probability of the top one) for one text's candidates;
    tau > 0 subtracts tau * log(label frequency) from each score (logit adjustment); penalty > 0 orders
    the candidates after the first `keep` family-diverse (diverse_order)."""
    if not rows:
        return [], 0.0
    mean, std, w = scorer
    z = ((np.array([[f[n] for n in names] for _, f in rows]) - mean) / std) @ w[:-1] + w[-1]
    if tau:
        z = z - tau * np.array([f['logfreq'] for _, f in rows])
    if penalty:
        order = diverse_order(framework, [c for c, _ in rows], z, penalty, keep)
    else:
        order = np.argsort(-z, kind='stable')
    head = [rows[j][0] for j in order]
    tail = [c for c in full if c not in head]
    p = np.exp(z - z.max())
    return (head + tail)[:10], float(p.max() / p.sum())


def family_mass_order(framework, rows, full, names, scorer):
    """Top 10 ids with the families ordered by the summed softmax probability of their candidates, each
    family's candidates by probability."""
    if not rows:
        return [], 0.0
    mean, std, w = scorer
    z = ((np.array([[f[n] for n in names] for _, f in rows]) - mean) / std) @ w[:-1] + w[-1]
    p = np.exp(z - z.max())
    p /= p.sum()
    mass = collections.Counter()
    for (c, _), q in zip(rows, p):
        mass[collapse(framework, c)] += q
    order = sorted(range(len(rows)), key=lambda j: (-mass[collapse(framework, rows[j][0])],
                                                   collapse(framework, rows[j][0]), -p[j]))
    head = [rows[j][0] for j in order]
    return (head + [c for c in full if c not in head])[:10], float(p.max())


def top_cosine(rows, ids):
    """The cosine of the text to the prototype of its re-ranked top answer `ids[0]` (0 without one), from its
    candidate rows."""
    return next((f['proto'] for c, f in rows if ids and c == ids[0]), 0.0)


def answer_points(answers, golds):
    """(top-1 probability, right) of out-of-fold answers. answers: {text: (ids, probability)}; golds: {text: ids}."""
    return [(p, bool(ids) and ids[0] in set(golds[i])) for i, (ids, p) in answers.items()]


def moved(ids, full):
    """Whether the re-ranked top answer `ids[0]` is not the engine's top answer (the first of `full`)."""
    return bool(ids) and bool(full) and ids[0] != next(iter(full))


def confidence_starts(answers, golds, full):
    """((medium, high) of kept top answers, (medium, high) of moved ones): confidence_bounds.probability_starts
    fitted separately to the out-of-fold answers the re-ranker kept at the engine's top and those it moved."""
    kept = {i: a for i, a in answers.items() if not moved(a[0], full[i])}
    shifted = {i: a for i, a in answers.items() if moved(a[0], full[i])}
    return probability_starts(answer_points(kept, golds)), probability_starts(answer_points(shifted, golds))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', required=True)
    ap.add_argument('--catalogs', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--folds', type=int, default=5)
    ap.add_argument('--shared', default=os.environ.get('LAKEMARK_SHARED', '/work/shared'))
    ap.add_argument('--model', default=os.path.join(REPO, 'models', 'all-minilm-l6-v2'))
    ap.add_argument('--set', action='append', help='a set of SETS (default: all)')
    ap.add_argument('--fit', choices=('listwise', 'logistic'), default='listwise')
    ap.add_argument('--label', choices=('exact', 'collapsed'), default='exact', help='what counts as a gold candidate')
    ap.add_argument('--l2', type=float, default=10.0)
    ap.add_argument('--top-n', type=int, default=30, help='engine candidates re-ranked')
    ap.add_argument('--union', type=int, default=0, help='add the best M controls by catalog cosine')
    ap.add_argument('--high-variant', default='proto', help='the variant whose High bucket is measured')
    ap.add_argument('--la-level', choices=('exact', 'family'), default='exact',
                    help='the label frequency of --logit-adjust: of the control or of its family')
    ap.add_argument('--family-mass', action='store_true', help='also order families by their softmax mass')
    ap.add_argument('--dump', action='store_true', help='write each variant\'s rankings to WORK/rankings-SET.json')
    ap.add_argument('--center', action='store_true', help='centre embeddings on the training mean')
    ap.add_argument('--knn', type=int, default=10, help='neighbours of the knn feature set')
    ap.add_argument('--knn-share', action='store_true', help='a neighbour votes 1/|its labels| per label')
    ap.add_argument('--logit-adjust', type=float, action='append', default=[],
                    help='also score each variant with tau * log(label frequency) subtracted')
    ap.add_argument('--diversify', type=float, action='append', default=[],
                    help='every variant also scored family-diverse with this penalty (rows <variant>-dP/K)')
    ap.add_argument('--diversify-keep', type=int, action='append', default=[],
                    help='candidates placed by score alone before diversifying (default 1)')
    ap.add_argument('--holdout-provider', action='store_true',
                    help='also score each Prowler provider with a scorer fitted on the other providers only')
    ap.add_argument('--shuffle-prototypes', action='store_true',
                    help='sanity check: prototypes from training labels shuffled across texts')
    a = ap.parse_args(argv)
    a.diversify_keep = a.diversify_keep or [1]
    dev = os.path.join(a.shared, 'eval', 'mapping-dev')
    high_base = a.high_variant.split('-la')[0]
    sys.path.insert(0, dev)
    import score_dev  # noqa: E402 (evaluation-only helper from the shared folder)

    os.makedirs(a.work, exist_ok=True)
    prepare_folds(a.catalogs, a.work, a.shared, a.folds)
    emb = Embeddings(a.bin, a.model, os.path.join(a.work, 'embeddings.npz'))
    fold_priors = [read_priors(os.path.join(a.work, 'fold-%d' % k, 'full', 'priors.tsv'))
                   for k in range(a.folds + 1)]
    # The `xw` feature set: the 800-53 Prowler texts (their 800-53 labels) and the crosswalk to 800-53.
    n53_rows = [r for path in sorted(glob.glob(os.path.join(dev, 'nist_800_53_r5.*.jsonl')))
                for r in score_dev.read_set(path) if r['source'].startswith('prowler-')]
    n53_golds = [r['gold'] for r in n53_rows]
    n53_folds = [fold_of(r['group'], a.folds) for r in n53_rows]
    n53_vectors = np.stack(emb.get([r['text'] for r in n53_rows]))
    crosswalk = collections.defaultdict(dict)
    for line in open(os.path.join(a.catalogs, 'crosswalk.tsv'), encoding='utf-8'):
        if not line.startswith('#') and line.strip():
            cat, cid, nist = line.rstrip('\n').split('\t')
            crosswalk[cat][cid] = nist.split()
    for set_name, framework, catalog, sources, key in SETS:
        if a.set and set_name not in a.set:
            continue
        pattern = 'nist_800_53_r5.*' if framework == 'nist_800_53_r5' else framework + '.*'
        items = []
        if set_name == 'stratus':
            # Event-phrased CloudTrail texts of scripts/eval_events.py (CTID-derived labels), outside the
            # development sets: answered by the engine built from all labels, the re-ranker fitted on every
            # Prowler text.
            from eval_events import stratus_rows
            items = stratus_rows(a.shared)
        else:
            for path in sorted(glob.glob(os.path.join(dev, pattern + '.jsonl'))):
                items += [r for r in score_dev.read_set(path) if sources is None or r['source'] in sources]
        scored = len(items)
        # The fitting texts: the framework's Prowler-labelled texts (the labels build_priors.py counts), also when
        # the scored set has none (CTID).
        seen = {r['id'] for r in items}
        for path in sorted(glob.glob(os.path.join(dev, pattern + '.jsonl'))):
            items += [r for r in score_dev.read_set(path) if r['source'].startswith('prowler-') and r['id'] not in seen]
        fold = [a.folds if i < scored and set_name == 'stratus' else fold_of(r['group'], a.folds)
                for i, r in enumerate(items)]
        folds_used = range(a.folds + 1) if set_name == 'stratus' else range(a.folds)
        full, lex = [None] * len(items), [None] * len(items)
        for k in folds_used:
            idx = [i for i in range(len(items)) if fold[i] == k]
            texts = [items[i]['text'] for i in idx]
            for variant, store in (('full', full), ('lex', lex)):
                answers = run_engine(a.bin, os.path.join(a.work, 'fold-%d' % k, variant), key, texts, 50)
                for i, ans in zip(idx, answers):
                    store[i] = ans
        controls = []
        for line in open(os.path.join(a.catalogs, catalog + '.tsv'), encoding='utf-8'):
            if not line.startswith('#') and line.strip():
                f = line.rstrip('\n').split('\t')
                controls.append((f[0], f[2] + '. ' + f[4]))
        ids = [c for c, _ in controls]
        matrix = np.stack(emb.get([t for _, t in controls]))
        queries = np.stack(emb.get([r['text'] for r in items]))
        cosines = queries @ matrix.T
        all_training = [i for i, r in enumerate(items) if r['source'].startswith('prowler-')]
        rankings = collections.defaultdict(dict)
        weights_seen = collections.defaultdict(list)
        high = collections.defaultdict(lambda: [0, 0])  # variant -> [texts in High, right at top 1]
        alpha = ALPHA[catalog]

        def fit_and_score(train, test, seed, variants):
            """Fits each variant on `train` (prototypes and family frequencies from its labels only) and returns
            {variant: {text: (re-ranked ids, softmax probability of the top candidate)}} for `test`, and
            {text: cosine to the prototype of the `proto` variant's top answer}."""
            label_of = {i: items[i]['gold'] for i in train}
            if a.shuffle_prototypes:
                shuffled = list(train)
                np.random.default_rng(seed).shuffle(shuffled)
                label_of = {i: items[j]['gold'] for i, j in zip(train, shuffled)}
            vectors = queries
            if a.center:
                # Hubness reduction: cosines between embeddings centred on the training texts' mean.
                vectors = queries - queries[train].mean(0)
                vectors = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
            family_freq, prototypes = label_statistics(framework, [items[i]['gold'] for i in train],
                                                       [label_of[i] for i in train], vectors[train])

            train_vectors = vectors[train]
            train_folds = np.array([fold[i] for i in train])
            train_golds = [items[i]['gold'] for i in train]
            if a.la_level == 'family':
                counts = collections.Counter(g for gold in train_golds for g in {collapse(framework, x) for x in gold})
            else:
                counts = collections.Counter(g for gold in train_golds for g in set(gold))
            log_freq = {c: float(np.log((n + 1.0) / (len(train) + 1.0))) for c, n in counts.items()}
            log_freq[''] = float(np.log(1.0 / (len(train) + 1.0)))

            train_fold_set = {fold[i] for i in train}
            n53_cache = {}

            def crosswalk_votes(i):
                # ({control: best cosine of text i to the 800-53 prototypes of its crosswalked controls}, {family:
                # best of its controls}); the prototypes come from the 800-53 Prowler texts of the training folds
                # other than text i's own.
                links = crosswalk.get(catalog)
                if not links:
                    return {}, {}
                allowed = frozenset(train_fold_set - {fold[i]})
                if allowed not in n53_cache:
                    groups = collections.defaultdict(list)
                    for n, (gold, f) in enumerate(zip(n53_golds, n53_folds)):
                        if f in allowed:
                            for g in {collapse('nist_800_53_r5', x) for x in gold}:
                                groups[g].append(n)
                    names = sorted(groups)
                    means = np.stack([n53_vectors[groups[g]].mean(0) for g in names])
                    n53_cache[allowed] = (names, means / (np.linalg.norm(means, axis=1, keepdims=True) + 1e-9))
                names, matrix = n53_cache[allowed]
                cos = dict(zip(names, (matrix @ queries[i]).tolist()))
                controls = {c: max([cos.get(n, 0.0) for n in nist] + [0.0]) for c, nist in links.items()}
                families = collections.defaultdict(float)
                for c, v in controls.items():
                    families[collapse(framework, c)] = max(families[collapse(framework, c)], v)
                return controls, dict(families)

            def rows_of(i):
                # Each text's prior is that of its own fold's engine (the one that answered it).
                priors = fold_priors[fold[i]].get(catalog, {})
                votes = knn_votes(framework, vectors[i], train_vectors, train_golds, train_folds != fold[i],
                                  a.knn, a.knn_share)
                return candidate_rows(framework, alpha, full[i], lex[i], priors, cosines[i], ids, family_freq,
                                      a.top_n, a.union,
                                      prototype_features(prototypes, vectors[i]) + votes + (log_freq,
                                                                                            crosswalk_votes(i)))

            train_rows = [rows_of(i) for i in train]
            test_rows = {i: rows_of(i) for i in test}
            out, cosine = {}, {}
            for variant in variants:
                names = FEATURES[variant]
                scorer = fit_scorer(framework, train_rows, [items[i]['gold'] for i in train], names, a.label,
                                    a.fit, a.l2)
                weights_seen[variant].append(dict(zip(names + ['bias'], np.round(scorer[2], 2).tolist())))
                out[variant] = {i: rerank(test_rows[i], full[i], names, scorer) for i in test}
                if a.family_mass:
                    out[variant + '-mass'] = {i: family_mass_order(framework, test_rows[i], full[i], names, scorer)
                                              for i in test}
                for penalty in a.diversify:
                    for keep in a.diversify_keep:
                        out['%s-d%g/%d' % (variant, penalty, keep)] = {
                            i: rerank(test_rows[i], full[i], names, scorer, 0.0, framework, penalty, keep)
                            for i in test}
                for tau in a.logit_adjust:
                    out['%s-la%g' % (variant, tau)] = {i: rerank(test_rows[i], full[i], names, scorer, tau)
                                                       for i in test}
            if a.high_variant in out:
                cosine = {i: top_cosine(test_rows[i], out[a.high_variant][i][0]) for i in test}
            return out, cosine

        for k in folds_used:
            train = [i for i in all_training if fold[i] != k]
            test = [i for i in range(scored) if fold[i] == k]
            for i in test:
                rankings['engine'][i] = [(c, s, 'x') for c, s in full[i].items()][:10]
                answers, scores = list(full[i]), np.array(list(full[i].values()), dtype=float)
                for penalty in a.diversify:
                    for keep in a.diversify_keep:
                        order = diverse_order(framework, answers, scores / (scores.std() + 1e-9), penalty, keep)
                        rankings['engine-d%g/%d' % (penalty, keep)][i] = [(answers[j], 1.0, 'x')
                                                                           for j in order][:10]
            outer, outer_cosine = fit_and_score(train, test, k, list(FEATURES))
            # The High bucket's thresholds and familiarity floor: from out-of-fold answers of the training texts
            # (inner folds).
            inner = collections.defaultdict(dict)
            inner_cosines = []
            for j in sorted({fold[i] for i in train}):
                fitted, cosine = fit_and_score([i for i in train if fold[i] != j], [i for i in train if fold[i] == j],
                                               k, [high_base])
                inner[a.high_variant].update(fitted[a.high_variant])
                inner_cosines += cosine.values()
            floor = familiarity_floor(inner_cosines)
            for variant, answers in outer.items():
                for i, (ranked, _) in answers.items():
                    rankings[variant][i] = [(c, 1.0, 'x') for c in ranked]
            (_, high_kept), (_, high_moved) = confidence_starts(inner[a.high_variant],
                                                                {i: items[i]['gold'] for i in train}, full)
            for i, (ranked, prob) in outer[a.high_variant].items():
                threshold = high_moved if moved(ranked, full[i]) else high_kept
                if threshold is not None and prob >= threshold and outer_cosine[i] >= floor:
                    high[a.high_variant][0] += 1
                    high[a.high_variant][1] += bool(ranked) and ranked[0] in set(items[i]['gold'])
        if a.dump:
            with open(os.path.join(a.work, 'rankings-%s.json' % set_name), 'w', encoding='utf-8') as f:
                json.dump({'items': items[:scored],
                           'rankings': {v: {str(i): [c for c, _, _ in r] for i, r in rs.items()}
                                        for v, rs in rankings.items()}}, f)
        print('== %s (%d texts, %d Prowler texts for fitting)' % (set_name, scored, len(all_training)))
        for variant in ['engine'] + [v for v in rankings if v != 'engine']:
            m = score_dev.evaluate(framework, [r['gold'] for r in items[:scored]], rankings[variant])
            cells = ['%.3f %.3f %.3f %.3f' % (m[g]['micro']['hit@1'], m[g]['micro']['hit@3'], m[g]['micro']['mrr'],
                                              m[g]['macro']['recall@10']) for g in ('exact', 'collapsed')]
            print('  %-10s | exact %s | collapsed %s' % (variant, cells[0], cells[1]))
        sources_seen = sorted({r['source'] for r in items[:scored]})
        if len(sources_seen) > 1:
            for source in sources_seen:
                subset = [i for i in range(scored) if items[i]['source'] == source]
                for variant in ('engine', 'proto'):
                    m = score_dev.evaluate(framework, [items[i]['gold'] for i in subset],
                                           {n: rankings[variant][i] for n, i in enumerate(subset)})
                    cells = ['%.3f %.3f %.3f %.3f' % (m[g]['micro']['hit@1'], m[g]['micro']['hit@3'],
                                                      m[g]['micro']['mrr'], m[g]['macro']['recall@10'])
                             for g in ('exact', 'collapsed')]
                    print('    %-18s %-10s | exact %s | collapsed %s' % (source, variant, cells[0], cells[1]))
        providers = sorted({items[i]['source'] for i in range(scored) if items[i]['source'].startswith('prowler-')})
        if a.holdout_provider and len(providers) > 1:
            # Leave one provider out: the scorer never sees that provider's labels or near-duplicate groups.
            for provider in providers:
                test = [i for i in range(scored) if items[i]['source'] == provider]
                groups = {items[i]['group'] for i in test}
                train = [i for i in all_training if items[i]['source'] != provider and items[i]['group'] not in groups]
                answers = fit_and_score(train, test, 0, ['proto'])[0]['proto']
                m = score_dev.evaluate(framework, [items[i]['gold'] for i in test],
                                       {n: [(c, 1.0, 'x') for c in answers[i][0]] for n, i in enumerate(test)})
                e = score_dev.evaluate(framework, [items[i]['gold'] for i in test],
                                       {n: rankings['engine'][i] for n, i in enumerate(test)})
                print('    %-18s leave-provider-out (%d texts, %d fitting) hit@1/hit@3 exact: engine %.3f %.3f, '
                      'proto %.3f %.3f' % (provider, len(test), len(train), e['exact']['micro']['hit@1'],
                                           e['exact']['micro']['hit@3'], m['exact']['micro']['hit@1'],
                                           m['exact']['micro']['hit@3']))
        n, right = high[a.high_variant]
        print('  %s High bucket (top-1 probability threshold and familiarity floor fitted out of fold on the '
              'training texts): ' % a.high_variant +
              '%d texts, top 1 right (exact) %s' % (n, '%.2f' % (right / n) if n else '-'))
        for variant in ('lex', 'proto'):
            print('  weights %s (first fold): %s' % (variant, weights_seen[variant][0]))
        sys.stdout.flush()


if __name__ == '__main__':
    main()
