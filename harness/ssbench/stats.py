"""Statistics of repeated timings, in plain Python (the harness needs no numpy or scipy; the
tests check these against scipy).

    quartiles, iqr          the spread of a summary row: Q3 - Q1, quartiles by linear
                            interpolation between order statistics (type 7, numpy's default)
    median_ci               a distribution-free 95 % interval of a median: two order statistics
                            chosen from the binomial distribution (no assumption on the times)
    hodges_lehmann          the Hodges-Lehmann estimate of the shift between two samples and its
                            95 % interval, the inversion of the two-sided Mann-Whitney test
    ratio                   a/b of two samples of times as exp(HL of the log times): the ratio of
                            typical times, with its interval

The Hodges-Lehmann interval. With x (m values) and y (n values), the m*n differences
D = x_i - y_j sorted, the estimate is their median and the interval is [D_(k), D_(mn+1-k)]
(1-based), k = u + 1 where u is the largest value with P(U <= u) <= alpha/2 under the null
distribution of the Mann-Whitney statistic U. That is exactly the set of shifts d for which
the test of x - d against y does not reject at level alpha; its coverage is 1 - 2 P(U <= u)
>= 1 - alpha. The null distribution is exact (the Gaussian binomial coefficient, no ties: times
are continuous) when m*n <= EXACT_MAX_PAIRS, else the normal approximation with continuity
correction, u = floor(mn/2 - z sqrt(mn(m+n+1)/12) - 1/2). For 9 against 9 repetitions: exact,
u = 17, the interval [D_(18), D_(64)] of the 81 differences, coverage 96.0 %. Too few values
for any interval at the level asked (3 against 3 or fewer at 95 %) give none (low = high = None).
"""
import math
from functools import lru_cache
from statistics import NormalDist

CONFIDENCE = 0.95
EXACT_MAX_PAIRS = 2500  # m*n up to which the exact null distribution is computed (50 x 50)


#~ One sample

def median(xs):
    s = sorted(xs)
    k = len(s)
    if not k:
        raise ValueError("median of no values")
    return s[k // 2] if k % 2 else (s[k // 2 - 1] + s[k // 2]) / 2


def quantile(xs, p):
    """The p-quantile, linear interpolation between order statistics (type 7)."""
    s = sorted(xs)
    if not s:
        raise ValueError("quantile of no values")
    h = (len(s) - 1) * p
    lo = math.floor(h)
    return s[lo] + (h - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])


def quartiles(xs):
    return quantile(xs, 0.25), quantile(xs, 0.75)


def iqr(xs):
    """Q3 - Q1 (type 7); None for fewer than two values (one repetition has no spread)."""
    if len(xs) < 2:
        return None
    q1, q3 = quartiles(xs)
    return q3 - q1


def median_ci(xs, conf=CONFIDENCE):
    """(low, high): the order statistics x_(k) and x_(n+1-k) around the median, k the largest
    with P(B <= k-1) <= alpha/2 for B ~ Binomial(n, 1/2). None when n is too small (n <= 5 at
    95 %). For n = 9: [x_(2), x_(8)], coverage 96.1 %."""
    s = sorted(xs)
    n = len(s)
    alpha, cum, k = 1 - conf, 0.0, 0
    for j in range(n):
        cum += math.comb(n, j) / 2 ** n
        if cum <= alpha / 2:
            k = j + 1
        else:
            break
    if k < 1:
        return None
    return s[k - 1], s[n - k]


#~ Two samples: Hodges-Lehmann

@lru_cache(maxsize=None)
def mann_whitney_counts(m, n):
    """How many of the C(m+n, m) orderings give U = 0, 1, ..., mn: the coefficients of the
    Gaussian binomial coefficient, prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i)."""
    p = [1]
    for i in range(1, m + 1):
        s = n + i
        r = p + [0] * s
        for j, c in enumerate(p):
            r[j + s] -= c
        out = [0] * (len(r) - i)
        for j in range(len(out)):
            out[j] = r[j] + (out[j - i] if j >= i else 0)
        p = out
    return tuple(p)


class Critical:
    """The rank k of the interval's lower end among the sorted differences (1-based; 0: no
    interval at this level), how it was found, and the interval's coverage."""

    def __init__(self, k, method, coverage):
        self.k, self.method, self.coverage = k, method, coverage

    def __repr__(self):
        return f"Critical(k={self.k}, method={self.method!r}, coverage={self.coverage:.4f})"


@lru_cache(maxsize=None)
def critical(m, n, conf=CONFIDENCE):
    alpha = 1 - conf
    mn = m * n
    if mn <= EXACT_MAX_PAIRS:
        c, total, cum, u = mann_whitney_counts(m, n), math.comb(m + n, m), 0, -1
        for j, v in enumerate(c):
            if (cum + v) / total <= alpha / 2:
                cum += v
                u = j
            else:
                break
        return Critical(u + 1, "exact", 1 - 2 * cum / total)
    sigma = math.sqrt(mn * (m + n + 1) / 12)
    z = NormalDist().inv_cdf(1 - alpha / 2)
    u = math.floor(mn / 2 - z * sigma - 0.5)
    cov = 1 - 2 * NormalDist().cdf((u + 0.5 - mn / 2) / sigma) if u >= 0 else 1.0
    return Critical(max(u + 1, 0), "normal", cov)


class Shift:
    """A Hodges-Lehmann estimate of x - y with its interval (low, high: None when the samples
    are too small for one)."""

    def __init__(self, estimate, low, high, crit, m, n):
        self.estimate, self.low, self.high, self.critical, self.m, self.n = estimate, low, high, crit, m, n


def hodges_lehmann(x, y, conf=CONFIDENCE):
    m, n = len(x), len(y)
    if not m or not n:
        raise ValueError("Hodges-Lehmann of an empty sample")
    d = sorted(a - b for a in x for b in y)
    crit = critical(m, n, conf)
    est = median(d)
    if crit.k < 1:
        return Shift(est, None, None, crit, m, n)
    return Shift(est, d[crit.k - 1], d[len(d) - crit.k], crit, m, n)


class Ratio:
    """a/b of two samples of positive times: value = exp(HL of log a - log b), the ratio of
    typical times (scale-free, robust to outliers), and its interval."""

    def __init__(self, value, low, high, shift):
        self.value, self.low, self.high, self.shift = value, low, high, shift

    @property
    def covers_one(self):
        return self.low is None or self.low <= 1 <= self.high

    def __repr__(self):
        return f"Ratio({self.value:.4g} [{self.low}, {self.high}])"


def ratio(a, b, conf=CONFIDENCE):
    if any(v <= 0 for v in list(a) + list(b)):
        raise ValueError("a ratio of times needs positive times")
    s = hodges_lehmann([math.log(v) for v in a], [math.log(v) for v in b], conf)
    lo = math.exp(s.low) if s.low is not None else None
    hi = math.exp(s.high) if s.high is not None else None
    return Ratio(math.exp(s.estimate), lo, hi, s)
