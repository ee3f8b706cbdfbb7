#!/usr/bin/python3
"""An independent SimCSE run in PyTorch eager mode, to tell a fault of taskbert's trainer from a property of the
recipe: unsupervised SimCSE (Gao et al., 2021) as their train.py runs it (bert-base-uncased, [CLS] with a
training-only dense+tanh, cosine / 0.05, batch 64, length 32, AdamW lr 3e-5 with ε 1e-8 and no weight decay, linear
decay over one epoch of 1 M sentences, gradients clipped at norm 1, dropout 0.1), on the sentences of
`wikipedia_en`, scored on STS-B dev by the raw [CLS] cosine as SimCSE scores its checkpoints.

Runs under Debian's python3-torch (`apt-get install python3-torch`), with the BERT of `torch_peer.py` (checked
against shared/reference by `--check`). The model folder is `taskbert export bert-base-uncased -p cls --out DIR`.
The tokenizer below is BERT's uncased WordPiece (Debian packages no tokenizers); `--check` also holds its ids to the
reference's. Prints one JSON line per evaluation.
"""
import argparse
import gzip
import json
import math
import os
import random
import re
import sys
import time
import unicodedata

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_peer import Bert, load_safetensors, padded  # noqa: E402
from torch_peer import check as torch_peer_check  # noqa: E402


class WordPiece:
    """BERT's BasicTokenizer (lower case, accents stripped, punctuation split) and greedy longest-match WordPiece."""

    def __init__(self, vocab_path):
        self.vocab = {w.rstrip("\n"): i for i, w in enumerate(open(vocab_path, encoding="utf-8"))}

    @staticmethod
    def _punct(ch):
        cp = ord(ch)
        if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
            return True
        return unicodedata.category(ch).startswith("P")

    @staticmethod
    def _cjk(cp):
        return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
                or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF
                or 0x2F800 <= cp <= 0x2FA1F)

    def _basic(self, text):
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
                continue
            if ch in " \t\n\r" or unicodedata.category(ch) == "Zs":
                out.append(" ")
            elif self._cjk(cp):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        words = []
        for w in "".join(out).lower().split():
            w = "".join(c for c in unicodedata.normalize("NFD", w) if unicodedata.category(c) != "Mn")
            cur = ""
            for ch in w:
                if self._punct(ch):
                    if cur:
                        words.append(cur)
                    words.append(ch)
                    cur = ""
                else:
                    cur += ch
            if cur:
                words.append(cur)
        return words

    def encode(self, text, max_length):
        ids = [self.vocab["[CLS]"]]
        for w in self._basic(text):
            if len(w) > 100:
                ids.append(self.vocab["[UNK]"])
                continue
            pieces, start = [], 0
            while start < len(w):
                end, piece = len(w), None
                while start < end:
                    sub = ("##" if start else "") + w[start:end]
                    if sub in self.vocab:
                        piece = self.vocab[sub]
                        break
                    end -= 1
                if piece is None:
                    pieces = [self.vocab["[UNK]"]]
                    break
                pieces.append(piece)
                start = end
            ids.extend(pieces)
        return ids[:max_length - 1] + [self.vocab["[SEP]"]]

    def encode_prompt(self, text, max_length):
        """PromptBERT's template: [CLS] this sentence : " TEXT " means [MASK] . [SEP], TEXT cut so all fits."""
        if not hasattr(self, "_template"):  # tokenized once
            self._template = (self.encode('This sentence : "', 512)[:-1],
                              self.encode('" means', 512)[1:-1] + [self.vocab["[MASK]"]] + self.encode(".", 512)[1:])
        pre, post = self._template
        body = self.encode(text, 512)[1:-1][:max(0, max_length - len(pre) - len(post))]
        return pre + body + post

    def encoder(self, pooling):
        """The input a pooling reads: the prompt's template for prompt, [CLS] text [SEP] otherwise."""
        return self.encode_prompt if pooling == "prompt" else self.encode


def pool(hidden, mask, pooling):
    """[CLS], the mean over real tokens, or the state at the prompt's [MASK] (third from each row's end)."""
    if pooling == "cls":
        return hidden[:, 0]
    if pooling == "mean":
        m = mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * m).sum(1) / m.sum(1)
    return hidden[torch.arange(hidden.shape[0]), mask.sum(1).long() - 3]


def sentences(corpus, min_words):
    """Sentences of every paragraph, split after . ! ? before an upper-case start (ICU4J's splits differ a little)."""
    out = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            for para in json.loads(line)["text"].split("\n"):
                for s in re.split(r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9])", para.strip()):
                    if len(s.split()) >= min_words:
                        out.append(s)
    return out


def ranks(x):
    """Ranks with ties averaged (Spearman's)."""
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x))
    xs = np.asarray(x)[order]
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] == xs[i]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2.0
        i = j + 1
    return r


def spearman(a, b):
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def sts(model, tok, path, length=512, pooling="cls"):
    pairs = [json.loads(line) for line in open(path)]
    texts = sorted({p[k] for p in pairs for k in ("sentence1", "sentence2")})
    seqs = [tok.encoder(pooling)(t, length) for t in texts]
    vec = {}
    model.eval()
    with torch.inference_mode():
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        for s in range(0, len(order), 128):
            idx = order[s:s + 128]
            ids, mask = padded([seqs[i] for i in idx])
            cls = F.normalize(pool(model(ids, mask), mask, pooling), dim=-1)
            for r, i in enumerate(idx):
                vec[texts[i]] = cls[r]
    model.train()
    cos = [float(vec[p["sentence1"]] @ vec[p["sentence2"]]) for p in pairs]
    return 100 * spearman(cos, [p["score"] for p in pairs])


def check(model, tok, path):
    """torch_peer's check of the BERT against shared/reference, and this tokenizer's ids against the reference's."""
    torch_peer_check(model, path)
    bad = sum(tok.encode(r["text"], 512) != r["input_ids"] for r in map(json.loads, open(path)))
    print(json.dumps({"check": path, "tokenizer_mismatches": bad}), flush=True)
    if bad:
        raise SystemExit(f"the peer's tokenizer does not reproduce {path}: {bad} input(s) differ")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--corpus", default="../shared/data/corpus/wikipedia_en.jsonl.gz")
    ap.add_argument("--sts", default="../shared/data/sts/stsb/dev.jsonl")
    ap.add_argument("--check", help="shared/reference vectors JSONL to verify the BERT and the tokenizer against")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--eval-at", default="10,25,50")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--length", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--decay-steps", type=int, default=15625)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--temperature", type=float, default=0.05)
    ap.add_argument("--mlp", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--pooling", choices=["cls", "mean", "prompt"], default="cls")
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    cfg = json.load(open(f"{a.model_dir}/config.json"))
    model = Bert(cfg, load_safetensors(f"{a.model_dir}/model.safetensors"))
    tok = WordPiece(f"{a.model_dir}/vocab.txt")
    if a.check:
        check(model, tok, a.check)
    sents = sentences(a.corpus, 4)
    random.Random(a.seed).shuffle(sents)
    h = cfg["hidden_size"]
    mlp = torch.nn.Linear(h, h)
    torch.nn.init.normal_(mlp.weight, std=0.02)
    torch.nn.init.zeros_(mlp.bias)
    params = list(model.parameters()) + (list(mlp.parameters()) if a.mlp else [])
    opt = torch.optim.AdamW(params, lr=a.lr, eps=1e-8, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1 - s / a.decay_steps))
    evals = {int(s) for s in a.eval_at.split(",") if s}
    print(json.dumps({"step": 0, "sentences": len(sents), "stsb_dev": sts(model, tok, a.sts, pooling=a.pooling)}), flush=True)
    model.train()
    enc = tok.encoder(a.pooling)
    for step in range(1, a.steps + 1):
        start = time.perf_counter()
        rows = [enc(s, a.length) for s in sents[(step - 1) * a.batch:step * a.batch]]
        ids, mask = padded(rows + rows)  # each sentence twice: two dropout masks
        cls = pool(model(ids, mask, a.dropout), mask, a.pooling)
        z = torch.tanh(mlp(cls)) if a.mlp else cls
        u, v = F.normalize(z[:a.batch], dim=-1), F.normalize(z[a.batch:], dim=-1)
        loss = F.cross_entropy(u @ v.T / a.temperature, torch.arange(a.batch))
        opt.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        line = {"step": step, "loss": loss.item(), "grad_norm": norm.item(), "seconds": time.perf_counter() - start}
        if step in evals:
            line["stsb_dev"] = sts(model, tok, a.sts, pooling=a.pooling)
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
