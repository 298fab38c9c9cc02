"""Independent reference for src/analysis/pai.ts (tests/fixtures/pai).

Writes seeded inputs to tests/fixtures/pai/in/ and NumPy results to out/:
  curve: the cumulative table of R ptools::pai(dat, count, pred, area) from its definitions
         (rows by pred/area desc, ties by observed count ascending; PEI against the oracle order
         by count/area desc at the same rank, its ties in prediction order; RRI = cumulative pred / cumulative count).
  coverage: hit rate, PAI, PEI, RRI at fixed shares of equal cells, floor(n * f) cells ranked by
         (risk desc, index asc), plus the tie-inclusive selection (all cells with risk >= cut-off)
         and the floor selection's expectation under a random order of the tied cells.
R ptools is not packaged for Debian (apt-cache search r-cran-ptools: nothing); the curve was
cross-checked once against ptools' own R function on these inputs (see the pai test header).
Run: /usr/bin/python3 scripts/reference/pai.py
"""
import json
import os

import numpy as np

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
base = os.path.join(root, "tests", "fixtures", "pai")
os.makedirs(os.path.join(base, "in"), exist_ok=True)
os.makedirs(os.path.join(base, "out"), exist_ok=True)

rng = np.random.default_rng(20260629)
inputs = [
    # ptools' own documentation example
    {"name": "ptools-example", "count": [6, 7, 3, 2, 1, 0], "pred": [8, 4, 4, 2, 1, 0], "coverages": [0.2, 0.5]},
    # integer counts and integer predictions: many ties at every cut-off
    {"name": "poisson-ties", "count": rng.poisson(0.6, 400).tolist(), "pred": rng.poisson(0.8, 400).tolist(),
     "coverages": [0.01, 0.02, 0.05, 0.1]},
    # continuous predictions correlated with the counts, no ties
    {"name": "continuous", "count": [], "pred": [], "coverages": [0.01, 0.02, 0.05, 0.1, 0.25]},
    # unequal areas (street segments of different lengths): curve only
    {"name": "unequal-areas", "count": rng.poisson(2.0, 60).tolist(), "pred": np.round(rng.gamma(2.0, 1.5, 60), 6).tolist(),
     "area": np.round(rng.uniform(0.5, 3.0, 60), 6).tolist(), "coverages": []},
]
lam = rng.gamma(0.7, 1.5, 1000)
inputs[2]["count"] = rng.poisson(lam).tolist()
inputs[2]["pred"] = np.round(lam * rng.uniform(0.6, 1.4, 1000), 9).tolist()


def curve(count, pred, area):
    count = np.asarray(count, float)
    pred = np.asarray(pred, float)
    area = np.ones_like(count) if area is None else np.asarray(area, float)
    n = len(count)
    dens = pred / area
    order = np.lexsort((np.arange(n), count, -dens))
    cum_count = np.cumsum(count[order])
    cum_area = np.cumsum(area[order])
    cum_pred = np.cumsum(pred[order])
    p_count = cum_count / count.sum()
    p_area = cum_area / area.sum()
    pai = p_count / p_area
    # ptools sorts its already pred-ordered table, so density ties keep the prediction order.
    oracle = order[np.lexsort((np.arange(n), -(count[order] / area[order])))]
    perfect = (np.cumsum(count[oracle]) / count.sum()) / (np.cumsum(area[oracle]) / area.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        rri = cum_pred / cum_count
    return {"index": order.tolist(), "cumCount": cum_count.tolist(), "cumPred": cum_pred.tolist(), "pai": pai.tolist(),
            "pei": (pai / perfect).tolist(), "rri": [None if not np.isfinite(v) else float(v) for v in rri]}


def coverage(count, risk, f):
    count = np.asarray(count, float)
    risk = np.asarray(risk, float)
    n = len(count)
    order = np.lexsort((np.arange(n), -risk))
    k = int(np.floor(n * f + 1e-9))
    cut = risk[order[k - 1]]
    k_ties = int(np.sum(risk >= cut))
    best = np.sort(count)[::-1]

    def at(m):
        sel = order[:m]
        cap = count[sel].sum()
        hr = cap / count.sum()
        return {"cells": m, "captured": float(cap), "hitRate": hr, "pai": hr / (m / n), "pei": cap / best[:m].sum(),
                "rri": float(risk[sel].sum() / cap) if cap > 0 else None}

    # expectation of the floor selection when the tied cut-off cells come in random order
    above = risk > cut
    tied = risk == cut
    exp_cap = count[above].sum() + (k - above.sum()) * count[tied].sum() / tied.sum()
    tie_expected = {"captured": float(exp_cap), "pai": exp_cap / count.sum() / (k / n), "pei": exp_cap / best[:k].sum()}
    return {"coverage": f, "cutoffRisk": float(cut), "tiedCells": int(np.sum(risk == cut)),
            "tiedSelected": int(np.sum(risk[order[:k]] == cut)), "floor": at(k), "tieInclusive": at(k_ties),
            "tieExpected": tie_expected}


for inp in inputs:
    with open(os.path.join(base, "in", inp["name"] + ".json"), "w", encoding="utf-8") as fh:
        json.dump(inp, fh)
        fh.write("\n")
    out = {"name": inp["name"], "reference": f"numpy {np.__version__}", "curve": curve(inp["count"], inp["pred"], inp.get("area")),
           "coverage": [coverage(inp["count"], inp["pred"], f) for f in inp["coverages"]]}
    with open(os.path.join(base, "out", inp["name"] + ".json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh)
        fh.write("\n")
print("pai: %d fixtures" % len(inputs))
