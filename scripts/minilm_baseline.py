#!/usr/bin/env python3
"""MiniLM baseline mapper for the mapping evaluation (a reference row, not part of the product).

Implements the map API contract of shared/eval/mapping-dev/score_dev.py: one request JSON on stdin,
the response JSON on stdout. Each control is a document; its text is the text the scorer's own BM25
baseline indexes (score_dev.catalog_documents: 800-53 title + statement + guidance, CSF 2.0 category
title + statement + examples, ISO and TSC from the NIST text of crosswalked controls). PCI DSS has no
public text, so its documents are the Lakemark catalog's own team-written title + description + section
description (Sources/Mapping/Catalogs/pci_dss_v4.tsv). Texts and controls are embedded with
all-MiniLM-L6-v2 through scripts/minilm_reference.py (NumPy forward pass, 256 tokens as
sentence-transformers uses; float32 arithmetic); the score of a control is the cosine of the two
embeddings.

Embeddings are cached by SHA-1 of the text in $LAKEMARK_MODEL_CACHE/minilm-baseline.npz (default
~/.cache/lakemark), saved every 100 new texts, so only the first run pays for the control texts
(about ten minutes for the 1,007 800-53 controls on two busy cores). Warm the cache before scoring,
so no scorer call runs into its time-out:
    scripts/minilm_baseline.py --shared /work/shared --warm nist_800_53_r5 nist_csf_v2 pci_dss_v4 iso_27001 soc2

With --swift BIN the texts missing from the cache are embedded by `BIN embed` (the native encoder of
Sources/Semantic, checked against the NumPy reference at cosine >= 0.9999 by its tests) instead of
the NumPy pass: the same vectors, much faster on a busy machine.

Usage (through the scorer):
    python3 score_dev.py SET.jsonl --cmd "scripts/minilm_baseline.py --shared /work/shared" --name minilm
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..'))
sys.path.insert(0, HERE)

import minilm_reference  # noqa: E402


class EmbeddingCache:
    """Text -> embedding, persisted as one .npz of SHA-1 keys."""

    def __init__(self, path, swift=None):
        self.path = path
        self.swift = swift
        self.vectors = {}
        if os.path.exists(path):
            with np.load(path) as data:
                self.vectors = {k: data[k] for k in data.files}
        self.dirty = False

    @staticmethod
    def key(text):
        return hashlib.sha1(text.encode('utf-8')).hexdigest()

    def embed(self, texts):
        missing = [t for t in dict.fromkeys(texts) if self.key(t) not in self.vectors]
        if missing and self.swift:
            self._embed_swift(missing)
        elif missing:
            model = minilm_reference.Reference(os.environ.get('LAKEMARK_MODEL_DIR')
                                               or minilm_reference.DEFAULT_MODEL_DIR, dtype=np.float32)
            for start in range(0, len(missing), 100):
                part = missing[start:start + 100]
                for text, vector in zip(part, model.encode(part)):
                    self.vectors[self.key(text)] = vector
                self.dirty = True
                self.save()
        if not texts:
            return np.zeros((0, minilm_reference.HIDDEN), dtype=np.float32)
        return np.stack([self.vectors[self.key(t)] for t in texts])

    def _embed_swift(self, texts):
        model = os.environ.get('LAKEMARK_MODEL_DIR') or minilm_reference.DEFAULT_MODEL_DIR
        lines = []
        for i, text in enumerate(texts):
            escaped = text.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n').replace('\r', '\\r')
            lines.append('t%d\t%s\n' % (i, escaped))
        done = subprocess.run([self.swift, 'embed', '--model', model, '--json', '--max-tokens',
                               str(minilm_reference.UPSTREAM_MAX_TOKENS)], input=''.join(lines).encode('utf-8'),
                              stdout=subprocess.PIPE, check=True)
        for line in done.stdout.decode('utf-8').splitlines():
            row = json.loads(line)
            self.vectors[self.key(texts[int(row['id'][1:])])] = np.array(row['vector'], dtype=np.float32)
        self.dirty = True
        self.save()

    def save(self):
        if self.dirty:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            tmp = self.path + '.tmp.npz'
            np.savez(tmp, **self.vectors)
            os.replace(tmp, self.path)
            self.dirty = False


def pci_documents():
    """PCI DSS documents from the Lakemark catalog: title, description and section description."""
    docs = {}
    with open(os.path.join(REPO, 'Sources', 'Mapping', 'Catalogs', 'pci_dss_v4.tsv'), encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            fields = line.rstrip('\n').split('\t')
            docs[fields[0]] = '%s. %s %s' % (fields[2], fields[4], fields[5])
    return docs


def control_documents(framework, shared):
    sys.path.insert(0, os.path.join(shared, 'eval', 'mapping-dev'))
    import score_dev  # noqa: E402 (evaluation-only helper from the shared folder)
    fw = score_dev.ALIASES.get(framework, framework)
    if fw == 'pci_dss_v4':
        return pci_documents()
    data_dir = os.path.join(shared, 'data')
    universe = score_dev.Universe(data_dir)
    xwalk = score_dev.crosswalk_text(data_dir, universe) if fw in ('iso_27001', 'soc2') else {}
    docs, _ = score_dev.catalog_documents(fw, universe, xwalk, {})
    return docs


def main(argv=None):
    ap = argparse.ArgumentParser(description='MiniLM baseline mapper (map contract on stdin/stdout)')
    ap.add_argument('--shared', default=os.environ.get('LAKEMARK_SHARED', '/work/shared'))
    ap.add_argument('--model', default=None, help='model directory (default: $LAKEMARK_MODEL_DIR or models/...)')
    ap.add_argument('--swift', metavar='BIN', help='embed missing texts with `BIN embed` (lakemark)')
    ap.add_argument('--warm', nargs='+', metavar='FRAMEWORK', help='only embed these frameworks\' control texts')
    a = ap.parse_args(argv)
    if a.model:
        os.environ['LAKEMARK_MODEL_DIR'] = a.model
    cache_dir = os.environ.get('LAKEMARK_MODEL_CACHE') or os.path.join(os.path.expanduser('~'), '.cache', 'lakemark')
    cache = EmbeddingCache(os.path.join(cache_dir, 'minilm-baseline.npz'), swift=a.swift)
    if a.warm:
        for framework in a.warm:
            docs = control_documents(framework, a.shared)
            cache.embed([docs[i] for i in sorted(docs)])
            cache.save()
            print('minilm_baseline: %s: %d control texts embedded' % (framework, len(docs)), file=sys.stderr)
        return
    request = json.load(sys.stdin)
    documents = request.get('documents') or []
    queries = cache.embed([d['document'] for d in documents])
    topk = int(request.get('topk', 10))
    floor = float(request.get('min_similarity', 0.01))
    out = []
    for framework in request.get('frameworks') or []:
        docs = control_documents(framework, a.shared)
        ids = sorted(docs)
        matrix = cache.embed([docs[i] for i in ids])
        scores = queries @ matrix.T if len(ids) else np.zeros((len(documents), 0))
        controls = []
        for row, document in enumerate(documents):
            order = np.argsort(-scores[row], kind='stable')[:topk]
            for j in order:
                similarity = float(scores[row, j])
                if similarity >= floor:
                    controls.append({'document_id': document['id'], 'control': {'id': ids[j], 'family': ''},
                                     'similarity': round(similarity, 4), 'confidence': 'minilm'})
        out.append({'framework_id': framework, 'controls': controls})
    cache.save()
    json.dump({'frameworks': out}, sys.stdout)


if __name__ == '__main__':
    main()
