"""Reference DBSCAN labels for tests/fixtures/dbscan (methods.md §5), from scikit-learn.

Reads in/*.json (planar x, y in metres, epsMeters, minPoints), writes out/<name>.sklearn.json.
Run: /usr/bin/python3 scripts/reference/dbscan.py   (needs python3-sklearn)
"""
import glob
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import DBSCAN

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
fixture_dir = os.path.join(root, "tests", "fixtures", "dbscan")
os.makedirs(os.path.join(fixture_dir, "out"), exist_ok=True)

for path in sorted(glob.glob(os.path.join(fixture_dir, "in", "*.json"))):
    with open(path, encoding="utf-8") as fh:
        f = json.load(fh)
    xy = np.column_stack([np.asarray(f["x"], dtype=float), np.asarray(f["y"], dtype=float)])
    # min_samples counts the point itself; brute force keeps the neighbourhood exact (<= eps).
    model = DBSCAN(eps=f["epsMeters"], min_samples=f["minPoints"], metric="euclidean", algorithm="brute").fit(xy)
    core = np.zeros(len(xy), dtype=bool)
    core[model.core_sample_indices_] = True
    out = {
        "name": f["name"],
        "reference": f"scikit-learn {sklearn.__version__}",
        "labels": [int(v) for v in model.labels_],  # 0..K-1, -1 = noise
        "core": [bool(v) for v in core],
    }
    with open(os.path.join(fixture_dir, "out", f["name"] + ".sklearn.json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh)
        fh.write("\n")
print("scikit-learn reference outputs written to", os.path.join(fixture_dir, "out"))
