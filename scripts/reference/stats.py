"""Reference values from SciPy (and mpmath) for tests/fixtures/{normal,mann-kendall,knox}.

normal: scipy.stats.norm.sf and a 50-digit mpmath value for z up to 38 (methods.md §0).
mann-kendall: pymannkendall.original_test's algorithm (methods.md §3) in float64 with the
  tail from norm.sf instead of 1 - cdf; tau_b from scipy.stats.kendalltau (independent code).
knox: brute-force closeness table over all pairs (methods.md §6: same location d = 0, [a, b)
  bands), the exact permutation expectation N_s * N_t / P, and a NumPy permutation test whose
  p-values and ratios the TS test compares statistically (different RNG).
Run: /usr/bin/python3 scripts/reference/stats.py   (needs python3-scipy; mpmath optional)
"""
import glob
import json
import math
import os

import numpy as np
import scipy
from scipy.stats import kendalltau, norm

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
fixtures = os.path.join(root, "tests", "fixtures")


def write(fn, name, out):
    os.makedirs(os.path.join(fixtures, fn, "out"), exist_ok=True)
    with open(os.path.join(fixtures, fn, "out", name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh, allow_nan=False)
        fh.write("\n")


def inputs(fn):
    for path in sorted(glob.glob(os.path.join(fixtures, fn, "in", "*.json"))):
        with open(path, encoding="utf-8") as fh:
            yield json.load(fh)


# --- normal tails -------------------------------------------------------------------------
zs = [0, 1e-9, 0.1, 0.5, 0.6744897501960817, 1, 1.2, 1.6448536269514722, 1.959963984540054, 2.5, 3, 3.5, 4, 5,
      5.6, 6, 7.5, 8, 9, 10, 12, 15, 20, 25, 30, 35, 37, -0.3, -1, -3, -8, -20, -37]
normal = {"name": "tails", "reference": f"scipy {scipy.__version__} norm.sf", "z": zs, "sf": [float(norm.sf(z)) for z in zs]}
try:
    import mpmath

    mpmath.mp.dps = 50
    normal["mpmath"] = [float(mpmath.erfc(mpmath.mpf(z) / mpmath.sqrt(2)) / 2) for z in zs]
    normal["reference"] += f"; mpmath {mpmath.__version__} erfc at 50 digits"
except ImportError:
    pass
write("normal", "tails", normal)


# --- Mann-Kendall -------------------------------------------------------------------------
def mann_kendall(series):
    x = np.array([v for v in series if v is not None], dtype=float)
    n = len(x)
    s = 0.0
    for k in range(n - 1):
        s += np.sign(x[k + 1:] - x[k]).sum()
    _, counts = np.unique(x, return_counts=True)
    var_s = (n * (n - 1) * (2 * n + 5) - np.sum(counts * (counts - 1) * (2 * counts + 5))) / 18
    if var_s <= 0:
        return {"n": n, "S": s, "varS": 0.0, "Z": 0.0, "p": 1.0, "tauA": None, "tauB": None}
    z = (s - 1) / math.sqrt(var_s) if s > 0 else (s + 1) / math.sqrt(var_s) if s < 0 else 0.0
    tau_b = kendalltau(np.arange(n), x).statistic
    return {"n": n, "S": s, "varS": float(var_s), "Z": z, "p": float(2 * norm.sf(abs(z))),
            "tauA": s / (n * (n - 1) / 2), "tauB": float(tau_b)}


for f in inputs("mann-kendall"):
    write("mann-kendall", f["name"], {"name": f["name"],
                                      "reference": f"numpy {np.__version__} (pymannkendall.original_test algorithm, norm.sf tail); scipy {scipy.__version__} kendalltau for tau_b",
                                      "results": [mann_kendall(s) for s in f["series"]]})


# --- Knox ---------------------------------------------------------------------------------
def knox_reference(f):
    x = np.asarray(f["x"], dtype=float)
    y = np.asarray(f["y"], dtype=float)
    t = np.asarray(f["days"], dtype=float)
    n = len(x)
    s_edges = list(f["spaceBreaksMeters"]) + [math.inf]
    t_edges = list(f["timeBreaksDays"]) + [math.inf]
    i_idx, j_idx = np.triu_indices(n, k=1)
    dx = x[i_idx] - x[j_idx]
    dy = y[i_idx] - y[j_idx]
    d = np.abs(dx) + np.abs(dy) if f["metric"] == "manhattan" else np.sqrt(dx * dx + dy * dy)
    # rows: same location (d == 0), then [a, b) bands with d == 0 taken out of the first one
    rows = np.full(d.shape, -1)
    rows[d == 0] = 0
    for b in range(len(s_edges) - 1):
        rows[(d > 0) & (d >= s_edges[b]) & (d < s_edges[b + 1])] = b + 1
    n_rows = len(s_edges)

    n_cols = len(t_edges) - 1

    def table(times, sel=slice(None)):
        dt = np.abs(times[i_idx[sel]] - times[j_idx[sel]])
        cols = np.searchsorted(np.asarray(t_edges), dt, side="right") - 1
        return np.bincount(rows[sel] * n_cols + cols, minlength=n_rows * n_cols).reshape(n_rows, n_cols).astype(float)

    observed = table(t)  # brute force over every pair
    pairs = n * (n - 1) / 2
    expected_exact = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / pairs
    # The permutation reference only needs the finite bands; the open row is the invariant
    # column total minus them (a shortcut the brute-force observed table above does not use).
    near = np.nonzero(rows < n_rows - 1)[0]
    column_total = observed.sum(axis=0)
    rng = np.random.default_rng(f["seed"])
    m = f["iterations"]
    sims = np.empty((m, n_rows, n_cols))
    for k in range(m):
        sim = table(rng.permutation(t), near)
        sim[n_rows - 1] = column_total - sim[: n_rows - 1].sum(axis=0)
        sims[k] = sim
    p = (1 + (sims >= observed).sum(axis=0)) / (m + 1)
    mean = sims.mean(axis=0)
    return {"observed": observed.tolist(), "expectedExact": expected_exact.tolist(), "pairs": pairs,
            "numpyMean": mean.tolist(), "numpyP": p.tolist(), "numpyIterations": m}


for f in inputs("knox"):
    out = {"name": f["name"], "reference": f"numpy {np.__version__} brute force over all pairs + permutation test"}
    out.update(knox_reference(f))
    write("knox", f["name"], out)

print("SciPy/NumPy reference outputs written under", fixtures)
