#!/usr/bin/env python3
"""Reference all-MiniLM-L6-v2 sentence encoder in NumPy (oracle for Sources/Semantic, MiniLM baseline mapper).

Tokenisation uses the `tokenizers` PyPI package (Hugging Face's own WordPiece implementation) on the model's
tokenizer.json; the forward pass (BERT embeddings, 6 encoder layers, mean pooling over the attention mask,
L2 normalisation) is written out here in NumPy, reading model.safetensors directly (no torch, no safetensors
package). The model directory is the one scripts/fetch_model.sh makes.

As a library:
    import minilm_reference as ref
    vectors = ref.encode(["root login without MFA", "S3 bucket is public"])   # (2, 384) float32, unit rows
    ids = ref.tokenize(["some text"], max_tokens=128)                        # [[101, ..., 102]]

As a command (one text per line on stdin, optionally `id<TAB>text`; JSON lines out):
    scripts/minilm_reference.py embed [--model DIR] [--max-tokens N] < texts.tsv    {"id", "vector"}
    scripts/minilm_reference.py tokens [--model DIR] [--max-tokens N] < texts.tsv   {"id", "ids"}
    scripts/minilm_reference.py cases [--model DIR] < cases.jsonl > reference.jsonl
Texts in the TSV use the escapes \\t, \\n and \\\\ so that any text fits on one line. `cases` reads JSON lines
{"id", "text", "max_tokens", "embed"} and adds "ids" (always) and "vector" (when "embed" is true): the
reference file of Tests/SemanticTests.
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np

DEFAULT_MODEL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "all-minilm-l6-v2")
HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
UPSTREAM_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model

_DTYPES = {"F32": np.float32, "I64": np.int64}

try:
    from scipy.special import erf as _erf
except ImportError:  # exact but slower
    _erf = np.vectorize(math.erf)


def load_safetensors(path):
    """Returns {name: ndarray} for every tensor of a safetensors file (little-endian, as the format says)."""
    with open(path, "rb") as handle:
        header_length = struct.unpack("<Q", handle.read(8))[0]
        header = json.loads(handle.read(header_length))
        data = handle.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=_DTYPES[entry["dtype"]])
        tensors[name] = array.reshape(entry["shape"])
    return tensors


class Reference:
    """Weights and tokenizer of one model directory."""

    def __init__(self, model_dir=DEFAULT_MODEL_DIR, dtype=np.float64):
        from tokenizers import Tokenizer

        self.model_dir = model_dir
        self.dtype = dtype
        self.tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tokenizer.no_padding()
        raw = load_safetensors(os.path.join(model_dir, "model.safetensors"))
        self.w = {name: value.astype(dtype) for name, value in raw.items() if value.dtype == np.float32}

    def tokenize(self, texts, max_tokens=UPSTREAM_MAX_TOKENS):
        """Token ids with [CLS] and [SEP], truncated to max_tokens in all."""
        self.tokenizer.enable_truncation(max_tokens)
        return [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]

    def _layer_norm(self, x, prefix):
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(variance + LAYER_NORM_EPS) * self.w[prefix + ".weight"] + self.w[prefix + ".bias"]

    def _dense(self, x, prefix):
        return x @ self.w[prefix + ".weight"].T + self.w[prefix + ".bias"]

    def forward(self, ids):
        """Unit sentence vectors for one list of token ids (no padding needed: one text at a time)."""
        w = self.w
        length = len(ids)
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:length] + w["embeddings.token_type_embeddings.weight"][0]
        x = self._layer_norm(x, "embeddings.LayerNorm")
        head = HIDDEN // HEADS
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            q = self._dense(x, p + "attention.self.query").reshape(length, HEADS, head).transpose(1, 0, 2)
            k = self._dense(x, p + "attention.self.key").reshape(length, HEADS, head).transpose(1, 0, 2)
            v = self._dense(x, p + "attention.self.value").reshape(length, HEADS, head).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(head)
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(length, HIDDEN)
            attended = self._dense(context, p + "attention.output.dense")
            x = self._layer_norm(x + attended, p + "attention.output.LayerNorm")
            h = self._dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
            x = self._layer_norm(x + self._dense(h, p + "output.dense"), p + "output.LayerNorm")
        pooled = x.mean(axis=0)
        return pooled / max(np.linalg.norm(pooled), 1e-12)

    def encode(self, texts, max_tokens=UPSTREAM_MAX_TOKENS):
        """(len(texts), 384) float32 array of L2-normalised sentence embeddings."""
        texts = list(texts)
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for row, ids in enumerate(self.tokenize(texts, max_tokens)):
            out[row] = self.forward(ids)
        return out


_DEFAULT = {}


def _reference(model_dir=None):
    key = os.path.abspath(model_dir or os.environ.get("LAKEMARK_MODEL_DIR") or DEFAULT_MODEL_DIR)
    if key not in _DEFAULT:
        _DEFAULT[key] = Reference(key)
    return _DEFAULT[key]


def encode(texts, model_dir=None, max_tokens=UPSTREAM_MAX_TOKENS):
    """Sentence embeddings of texts: np.ndarray (n, 384), float32, rows of unit length.

    model_dir defaults to $LAKEMARK_MODEL_DIR, else models/all-minilm-l6-v2 beside this script's repository.
    max_tokens counts [CLS] and [SEP]; 256 is what sentence-transformers uses for this model.
    """
    return _reference(model_dir).encode(texts, max_tokens)


def tokenize(texts, model_dir=None, max_tokens=UPSTREAM_MAX_TOKENS):
    """Token ids of texts as the model sees them: [[101, ..., 102], ...]."""
    return _reference(model_dir).tokenize(texts, max_tokens)


def _unescape(field):
    out = []
    index = 0
    while index < len(field):
        char = field[index]
        if char == "\\" and index + 1 < len(field):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(field[index + 1], field[index + 1]))
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _read_tsv(stream):
    rows = []
    for number, line in enumerate(stream):
        line = line.rstrip("\n")
        identifier, tab, text = line.partition("\t")
        rows.append((identifier, _unescape(text)) if tab else (str(number), _unescape(line)))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["embed", "tokens", "cases"])
    parser.add_argument("--model", default=None, help="model directory (default: models/all-minilm-l6-v2)")
    parser.add_argument("--max-tokens", type=int, default=UPSTREAM_MAX_TOKENS)
    args = parser.parse_args(argv)
    reference = _reference(args.model)
    if args.mode == "cases":
        for line in sys.stdin:
            case = json.loads(line)
            max_tokens = case.get("max_tokens", 128)
            case["ids"] = reference.tokenize([case["text"]], max_tokens)[0]
            if case.get("embed"):
                case["vector"] = [float(f"{v:.8g}") for v in reference.encode([case["text"]], max_tokens)[0]]
            sys.stdout.write(json.dumps(case, ensure_ascii=True) + "\n")
        return
    rows = _read_tsv(sys.stdin)
    texts = [text for _, text in rows]
    if args.mode == "tokens":
        for (identifier, _), ids in zip(rows, reference.tokenize(texts, args.max_tokens)):
            sys.stdout.write(json.dumps({"id": identifier, "ids": ids}) + "\n")
    else:
        for (identifier, _), vector in zip(rows, reference.encode(texts, args.max_tokens)):
            sys.stdout.write(json.dumps({"id": identifier, "vector": [float(v) for v in vector]}) + "\n")


if __name__ == "__main__":
    main()
