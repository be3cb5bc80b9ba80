"""Train the learned sentence layer (sanctionwatch/nlp/acts.py) and write its heads into the package.

usage: python training/train_acts.py [--shared ../shared] [--check]

Data, all labelled by this project:
- training/sentences/*.jsonl: sentences we wrote, {"text", "act", "kinds"};
- training/labels/dev-sentences.jsonl: sentences of the looked-at part of the dev sets, by
  offsets into ../shared/devset (the text stays there), with their labels; the sealed part
  (training/split.py) is never labelled;
- negatives: two sentences of every other article of ../shared/corpus (KCNA 2024, BBC 2004-05),
  the even-numbered ones, so the odd ones stay unseen for the false-alarm measurement.
Sentences are embedded with the package's static embeddings (data/acts/embeddings, made by
training/distill.py); two logistic heads are fitted: `act` on everything, one per kind on the
sentences whose kinds are known. `--check` reports cross-validated scores by article (grouped
five-fold over the dev sentences) without writing anything.

Needs scikit-learn (`pip install -r training/requirements.txt`); deterministic for given data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from training.split import sealed  # noqa: E402

from sanctionwatch.nlp.acts import load_kinds  # noqa: E402
from sanctionwatch.nlp.sentences import sentence_starts  # noqa: E402

PACKAGE_DATA = ROOT / "src" / "sanctionwatch" / "nlp" / "data" / "acts"
CORPUS_FILES = ("kcna-2024.jsonl", "bbc-2004.jsonl")
CORPUS_PER_ARTICLE = 6
ACT_C = 4.0  # inverse regularisation of the heads, chosen by --check
KIND_C = 4.0
ACT_THRESHOLD = 0.5
KIND_THRESHOLD = 0.35


def written() -> list[dict]:
    rows = []
    for path in sorted((ROOT / "training" / "sentences").glob("*.jsonl")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                rows.append({"text": row["text"], "act": bool(row["act"]), "kinds": row["kinds"],
                             "group": f"{path.stem}:{n // 20}"})
    return rows


def dev(shared: Path) -> list[dict]:
    texts: dict[tuple[str, str], dict] = {}
    for name in ("articles.jsonl", "articles-2.jsonl"):
        for line in (shared / "devset" / name).read_text("utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                texts[(name, r["id"])] = r
    rows = []
    for line in (ROOT / "training" / "labels" / "dev-sentences.jsonl").read_text("utf-8").splitlines():
        label = json.loads(line)
        article = texts[(label["file"], label["id"])]
        assert not sealed(article["url"]), f"{label['id']} is in the sealed part"
        text = article["text"][label["start"]:label["end"]]
        if hashlib.sha1(text.encode()).hexdigest()[:10] != label["sha1"]:
            raise SystemExit(f"{label['file']} {label['id']}: the labelled sentence changed")
        rows.append({"text": text, "act": label["act"], "kinds": label["kinds"], "group": label["id"]})
    return rows


def corpus(shared: Path) -> list[dict]:
    rng = random.Random(1718)
    rows = []
    for name in CORPUS_FILES:
        lines = (shared / "corpus" / name).read_text("utf-8").splitlines()
        for n, line in enumerate(lines):
            if n % 2 or not line.strip():
                continue
            text = json.loads(line)["text"]
            starts = sentence_starts(text) + [len(text)]
            sentences = [text[a:b].strip() for a, b in zip(starts, starts[1:], strict=False)]
            sentences = [s for s in sentences if len(s) > 20]
            for s in rng.sample(sentences, min(CORPUS_PER_ARTICLE, len(sentences))):
                rows.append({"text": s, "act": False, "kinds": None, "group": f"{name}:{n}"})
    return rows


def embed(texts: list[str]) -> np.ndarray:
    from model2vec import StaticModel

    model = StaticModel.from_pretrained(str(PACKAGE_DATA / "embeddings"))
    vectors = np.asarray(model.encode(texts, show_progress_bar=False), dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def fit_act(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=ACT_C, max_iter=5000, class_weight="balanced").fit(x, y)


def fit_kinds(x: np.ndarray, kinds: list[list[str] | None],
              kind_ids: list[str]) -> list[LogisticRegression | None]:
    known = [i for i, k in enumerate(kinds) if k is not None]
    heads = []
    for kind in kind_ids:
        y = np.array([kind in kinds[i] for i in known])
        heads.append(LogisticRegression(C=KIND_C, max_iter=5000, class_weight="balanced").fit(x[known], y)
                     if 0 < y.sum() < len(y) else None)
    return heads


def check(rows: list[dict], x: np.ndarray, kind_ids: list[str]) -> None:
    """Grouped five-fold cross-validation over the dev sentences (the others always train)."""
    is_dev = np.array([r["source"] == "dev" for r in rows])
    y = np.array([r["act"] for r in rows])
    groups = [r["group"] for r in rows]
    dev_index = np.flatnonzero(is_dev)
    probs = np.zeros(len(rows))
    for train, test in GroupKFold(5).split(dev_index, groups=[groups[i] for i in dev_index]):
        fit = np.concatenate([np.flatnonzero(~is_dev), dev_index[train]])
        model = fit_act(x[fit], y[fit])
        probs[dev_index[test]] = model.predict_proba(x[dev_index[test]])[:, 1]
    yd, pd = y[dev_index], probs[dev_index]
    print(f"dev sentences {len(dev_index)} (act {int(yd.sum())}): act AUC {roc_auc_score(yd, pd):.3f}")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        p, r, f, _ = precision_recall_fscore_support(yd, pd >= t, average="binary", zero_division=0)
        print(f"  threshold {t:.1f}: precision {p:.2f} recall {r:.2f} F1 {f:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--without-dev", action="store_true",
                        help="leave the dev sentences out (to measure on the dev sets' looked-at part)")
    args = parser.parse_args()
    kind_ids = list(load_kinds())
    rows = ([{**r, "source": "written"} for r in written()]
            + ([] if args.without_dev else [{**r, "source": "dev"} for r in dev(args.shared)])
            + [{**r, "source": "corpus"} for r in corpus(args.shared)])
    for r in rows:
        unknown = set(r["kinds"] or ()) - set(kind_ids)
        if unknown:
            raise SystemExit(f"unknown kinds {sorted(unknown)} in: {r['text'][:60]}")
    counts = {s: sum(r["source"] == s for r in rows) for s in ("written", "dev", "corpus")}
    print(f"sentences: {counts}, act {sum(r['act'] for r in rows)}")
    x = embed([r["text"] for r in rows])
    if args.check:
        check(rows, x, kind_ids)
        return 0
    y = np.array([r["act"] for r in rows])
    act = fit_act(x, y)
    kinds = fit_kinds(x, [r["kinds"] for r in rows], kind_ids)
    labelled = json.dumps([(r["text"], r["act"], r["kinds"]) for r in rows])
    digest = hashlib.sha256(labelled.encode()).hexdigest()
    used = [k for k, head in zip(kind_ids, kinds, strict=True) if head is not None]
    heads = {
        "version": f"acts-{digest[:12]}",
        "trained_on": counts,
        "threshold": ACT_THRESHOLD,
        "kind_threshold": KIND_THRESHOLD,
        "kinds": used,
        "act": {"w": [round(float(v), 6) for v in act.coef_[0]], "b": round(float(act.intercept_[0]), 6)},
        "kind": {"w": [[round(float(v), 6) for v in h.coef_[0]] for h in kinds if h is not None],
                 "b": [round(float(h.intercept_[0]), 6) for h in kinds if h is not None]},
    }
    (PACKAGE_DATA / "heads.json").write_text(json.dumps(heads) + "\n", encoding="utf-8")
    print(f"wrote {PACKAGE_DATA / 'heads.json'} ({heads['version']}, kinds {', '.join(used)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
