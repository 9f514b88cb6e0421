"""scikit-learn as the oracle for Vigil's detectors (run with the venv python from test/support/python-venv.ts).

usage: python sklearn-oracle.py INPUT.json
INPUT: {"model": "iforest" | "ocsvm", "train": [[...], ...], "score": [[...], ...], "params": {...}}
  iforest params: IsolationForest keyword arguments (n_estimators, max_samples, contamination, random_state, ...)
  ocsvm params:   OneClassSVM keyword arguments (kernel, gamma, nu, tol, ...)
Prints one JSON object on stdout:
  iforest: {"score_samples": [...], "decision_function": [...], "offset": float, "max_samples": int}
  ocsvm:   {"decision_function": [...], "score_samples": [...], "offset": float, "n_support": int, "gamma": float}
"""

import json
import sys

import numpy as np


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    train = np.asarray(spec["train"], dtype=np.float64)
    score = np.asarray(spec["score"], dtype=np.float64)
    params = spec.get("params", {})
    model = spec["model"]
    if model == "iforest":
        from sklearn.ensemble import IsolationForest

        m = IsolationForest(**params).fit(train)
        out = {
            "score_samples": m.score_samples(score).tolist(),
            "decision_function": m.decision_function(score).tolist(),
            "offset": float(m.offset_),
            "max_samples": int(m.max_samples_),
        }
    elif model == "ocsvm":
        from sklearn.svm import OneClassSVM

        m = OneClassSVM(**params).fit(train)
        gamma = m._gamma if hasattr(m, "_gamma") else params.get("gamma")
        out = {
            "decision_function": m.decision_function(score).tolist(),
            "score_samples": m.score_samples(score).tolist(),
            "offset": float(m.offset_[0]),
            "n_support": int(m.support_.shape[0]),
            "gamma": float(gamma),
        }
    else:
        raise SystemExit(f"unknown model {model!r}")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
