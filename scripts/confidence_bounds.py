"""Conservative confidence-bucket thresholds, shared by scripts/fit_calibration.py (lexical engine) and
scripts/build_reranker.py / scripts/eval_reranker.py (semantic re-ranker).

The points are the top answers of out-of-fold training texts: (score, whether the top answer is right, exact id).
A logistic curve of P(right | score) is fitted to them, and High starts at the score where the curve reaches 0.70,
Medium where it reaches 0.50. So the *least* sure answer of a bucket, not only its average, is right that often,
which leaves the bucket's average above the target and some margin for texts phrased unlike the training texts.
Held out on the development sets (scripts/eval_reranker.py) this kept the re-ranker's High bucket at 0.74 on PCI
DSS where the earlier rule, the lowest score from which the answers above it are right >= 78 % of the time, gave
0.65, and the lower end of a 90 % Wilson interval of that share >= 0.70 gave 0.54: such rules follow the few
best-scored texts of the inner folds, and their thresholds did not carry over to the scored fold; two parameters
fitted on all the points move less from fold to fold.

Where the curve overrates the best-scored texts (their precision levels off), High starts higher, where the
out-of-fold answers from there up are right >= 70 % themselves. For the lexical engine, whose precision levels off
near 0.70, the lower end of a two-sided 90 % Wilson interval must reach 0.70 (held out, the plain share let its
High bucket fall to 0.64 on PCI DSS, a one-sided bound to 0.55 on CSF). The re-ranker's thresholds are fitted
separately for top answers it kept and top answers it moved above the engine's top (scripts/build_reranker.py):
held out, moved answers in High were right 71 % of the time against 83 % for kept ones (50 % against 90 % on TSC).

Those thresholds say how often the re-ranker is right on texts like its training texts (Prowler checks). On texts
unlike them its probabilities are extrapolations: held out, the CTID technique names it rated High were right 56 %
of the time and the PCI DSS texts 69 %, and the wrong ones were mostly far from every training text labelled with
the answer. So a re-ranked top answer is High only when the text is familiar: its cosine to the answer's prototype
reaches the lower end of the central 90 % range (the 5 % quantile, as the lexical engine's two-sided 90 % interval)
of that cosine over the out-of-fold top answers of the training texts (`familiarity_floor`).
"""

import math

HIGH_TARGET = 0.70
MEDIUM_TARGET = 0.50
# z of the lower end of a two-sided 90 % interval (scripts/fit_calibration.py holds the lexical engine's High bucket
# to it).
Z90 = 1.6449
# Quantile of the training texts' out-of-fold top-answer prototype cosines below which a re-ranked answer is not
# High: the lower end of their central 90 % range.
FAMILIARITY_QUANTILE = 0.05


def wilson_lower(hits, n, z):
    """Lower end of the Wilson score interval of hits / n with this z (hits / n itself for z = 0; 0 for n = 0)."""
    if n == 0:
        return 0.0
    p = hits / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def logistic_fit(points, iterations=50):
    """(a, b) of P(right) = 1 / (1 + exp(-(a + b * score))) fitted to (score, correct) points by Newton's method
    (a small ridge keeps it finite when the points separate), or None without both outcomes."""
    if not points or all(c for _, c in points) or not any(c for _, c in points):
        return None
    a = b = 0.0
    ridge = 1e-3
    for _ in range(iterations):
        ga = gb = haa = hab = hbb = 0.0
        for x, c in points:
            p = 1.0 / (1.0 + math.exp(-max(min(a + b * x, 30.0), -30.0)))
            r = (1.0 if c else 0.0) - p
            w = p * (1 - p)
            ga += r
            gb += r * x
            haa += w
            hab += w * x
            hbb += w * x * x
        gb -= ridge * b
        hbb += ridge
        haa += ridge
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a += da
        b += db
        if abs(da) + abs(db) < 1e-9:
            break
    return a, b


def marginal_start(points, target):
    """The score from which a fitted logistic curve of P(right | score) reaches `target` (so the least sure answer
    of the bucket, not only its average, is right that often), or None when it never does or falls with the
    score."""
    fitted = logistic_fit(points)
    if fitted is None or fitted[1] <= 0:
        return None
    a, b = fitted
    return (math.log(target / (1 - target)) - a) / b


def bucket_start(points, target, z=0.0, min_texts=3):
    """The start of a bucket that holds everything above it: where the fitted curve reaches `target`, raised when
    needed until the points from there up are right at least `target` of the time themselves (with z > 0: the
    lower end of their Wilson interval is), since the curve can overrate the best-scored texts when their
    precision levels off; or None."""
    start = marginal_start(points, target)
    if start is None:
        return None
    ranked = sorted((p for p in points if p[0] >= start), key=lambda p: -p[0])
    best = None
    hits = 0
    for n, (score, correct) in enumerate(ranked, 1):
        hits += bool(correct)
        if n < len(ranked) and ranked[n][0] == score:
            continue
        if n >= min_texts and wilson_lower(hits, n, z) >= target:
            best = score
    return best


def bucket_counts(points, medium, high):
    """(High texts, right, Medium texts, right) of (score, correct) points for the given starts (None: none)."""
    hi = [c for x, c in points if high is not None and x >= high]
    me = [c for x, c in points if medium is not None and x >= medium and (high is None or x < high)]
    return len(hi), sum(map(bool, hi)), len(me), sum(map(bool, me))


def probability_starts(points):
    """(Medium start, High start) of top-1 softmax probabilities (either None): the curve is fitted to their
    logarithm, where P(right) is closer to logistic."""
    logged = [(math.log(max(p, 1e-9)), c) for p, c in points]
    high = bucket_start(logged, HIGH_TARGET)
    medium = marginal_start(logged, MEDIUM_TARGET)
    high = None if high is None or high >= 0 else math.exp(high)
    medium = None if medium is None else math.exp(min(medium, 0.0))
    if medium is not None and high is not None and medium >= high:
        medium = None
    return medium, high


def familiarity_floor(cosines, quantile=FAMILIARITY_QUANTILE):
    """The `quantile` of `cosines` (linear interpolation between order statistics, as NumPy's default), or None
    without any: the cosine of a text to its re-ranked answer's prototype from which the answer may be High."""
    ordered = sorted(cosines)
    if not ordered:
        return None
    position = quantile * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
