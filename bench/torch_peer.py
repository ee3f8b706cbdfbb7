#!/usr/bin/python3
"""The PyTorch peer of `taskbert bench`: the same BERT, inputs and FLOP count, in PyTorch eager mode.

Runs under Debian's python3-torch (which uses python3's OpenBLAS); `taskbert bench --torch-peer DIR` starts it
with the token ids of the sentences it embeds itself, so both sides see identical inputs. The model is read from
a Hugging Face folder written by `taskbert export` (config.json + model.safetensors), parsed here with numpy
because Debian packages neither transformers nor safetensors. BERT is written out below (about 40 lines) for the
same reason. Prints one line `BENCH_RESULT {json}` per workload.
"""
import argparse
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta["dtype"] != "F32":
            raise SystemExit(f"{path}: {name} is {meta['dtype']}, only F32 is read here")
        lo, hi = meta["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[lo:hi], dtype=np.float32).reshape(meta["shape"]).copy())
    return out


class Bert(torch.nn.Module):
    """BertModel's forward pass: embeddings, post-LN transformer layers, exact GELU, additive -10000 mask."""

    def __init__(self, cfg, w):
        super().__init__()
        self.cfg = cfg
        self.p = torch.nn.ParameterDict({k.replace(".", "_"): torch.nn.Parameter(v) for k, v in w.items()})

    def w(self, name):
        return self.p[name.replace(".", "_")]

    def dense(self, x, name):
        return F.linear(x, self.w(name + ".weight"), self.w(name + ".bias"))

    def ln(self, x, name):
        return F.layer_norm(x, (x.shape[-1],), self.w(name + ".weight"), self.w(name + ".bias"),
                            self.cfg["layer_norm_eps"])

    def forward(self, ids, mask, dropout=0.0):
        b, t = ids.shape
        h, nh = self.cfg["hidden_size"], self.cfg["num_attention_heads"]
        d = h // nh
        x = (self.w("embeddings.word_embeddings.weight")[ids]
             + self.w("embeddings.position_embeddings.weight")[:t]
             + self.w("embeddings.token_type_embeddings.weight")[0])
        x = F.dropout(self.ln(x, "embeddings.LayerNorm"), dropout, self.training)
        add = (1.0 - mask[:, None, None, :]) * -10000.0
        for i in range(self.cfg["num_hidden_layers"]):
            l = f"encoder.layer.{i}."
            q, k, v = (self.dense(x, l + "attention.self." + s).view(b, t, nh, d).transpose(1, 2)
                       for s in ("query", "key", "value"))
            probs = F.dropout(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + add, -1), dropout, self.training)
            ctx = (probs @ v).transpose(1, 2).reshape(b, t, h)
            x = self.ln(F.dropout(self.dense(ctx, l + "attention.output.dense"), dropout, self.training) + x,
                        l + "attention.output.LayerNorm")
            inner = F.gelu(self.dense(x, l + "intermediate.dense"))
            x = self.ln(F.dropout(self.dense(inner, l + "output.dense"), dropout, self.training) + x,
                        l + "output.LayerNorm")
        return x


def flops_forward(cfg, t):
    h, i, layers = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    return 2.0 * layers * (4 * h * h + 2 * h * i) * t + 4.0 * layers * t * t * h


def padded(rows):
    """Right-padded ids and the 1/0 mask of a batch."""
    t = max(len(r) for r in rows)
    ids = torch.zeros(len(rows), t, dtype=torch.long)
    mask = torch.zeros(len(rows), t)
    for r, seq in enumerate(rows):
        ids[r, :len(seq)] = torch.tensor(seq)
        mask[r, :len(seq)] = 1
    return ids, mask


def batches(seqs, size):
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    for s in range(0, len(order), size):
        yield padded([seqs[i] for i in order[s:s + size]])


def pooled(x, mask):
    m = mask[:, :, None]
    return x[:, 0], (x * m).sum(1) / m.sum(1)


def embed(model, cfg, seqs, size):
    model.eval()
    with torch.inference_mode():
        for ids, mask in batches(seqs[:2 * size], size):  # warm-up
            pooled(model(ids, mask), mask)
        start = time.perf_counter()
        for ids, mask in batches(seqs, size):
            pooled(model(ids, mask), mask)
        sec = time.perf_counter() - start
    gflop = sum(flops_forward(cfg, len(s)) for s in seqs) / 1e9
    return {"engine": "pytorch", "batchSize": size, "sentences": len(seqs), "tokens": sum(map(len, seqs)),
            "seconds": sec, "sentencesPerSecond": len(seqs) / sec, "forwardGflop": gflop}


def train(model, cfg, seqs, pairs, length, layers, steps):
    """Siamese steps: `pairs` A's and B's (consecutive sentences) through the encoder, in-batch softmax over
    cosine / 0.05 of mean vectors, the top `layers` layers trained with AdamW, dropout 0.1, as taskbert's config."""
    top = cfg["num_hidden_layers"] - layers
    trained = [p for n, p in model.p.items() if any(n.startswith(f"encoder_layer_{i}_") for i in range(top, 99))]
    for p in model.p.values():
        p.requires_grad_(False)
    for p in trained:
        p.requires_grad_(True)
    opt = torch.optim.AdamW(trained, lr=5e-5, weight_decay=0.01)
    model.train()
    rows = [s[:length] for s in seqs]
    times, gflops = [], []
    for step in range(steps):
        chunk = [rows[(step * 2 * pairs + j) % len(rows)] for j in range(2 * pairs)]
        ids, mask = padded(chunk)
        start = time.perf_counter()
        _, mean = pooled(model(ids, mask, 0.1), mask)
        u, v = F.normalize(mean[:pairs], dim=-1), F.normalize(mean[pairs:], dim=-1)
        loss = F.cross_entropy(u @ v.T / 0.05, torch.arange(pairs))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trained, 1.0)
        opt.step()
        times.append(time.perf_counter() - start)
        fwd = sum(flops_forward(cfg, len(r)) for r in chunk)
        gflops.append(fwd * (1 + 2.0 * layers / cfg["num_hidden_layers"]) / 1e9)
    timed = sorted(times[2:])
    return {"engine": "pytorch", "pairs": pairs, "maxLength": length, "trainLayers": layers,
            "secondsPerStep": timed[len(timed) // 2], "stepSeconds": times[2:],
            "examplesPerSecond": pairs / (sum(times[2:]) / len(times[2:])),
            "trainGflopPerStep": sum(gflops[2:]) / len(gflops[2:])}


def check(model, path):
    """The peer's cls and mean vectors against shared/reference (the same check taskbert's parity test makes)."""
    model.eval()
    worst = 0.0
    with torch.inference_mode():
        for line in open(path):
            r = json.loads(line)
            ids = torch.tensor([r["input_ids"]])
            mask = torch.ones(ids.shape)
            cls, mean = pooled(model(ids, mask), mask)
            worst = max(worst, (cls[0] - torch.tensor(r["cls"])).abs().max().item(),
                        (mean[0] - torch.tensor(r["mean"])).abs().max().item())
    print(f"torch peer against {path}: max |diff| of cls and mean {worst:.2e}", file=sys.stderr)
    if worst > 1e-4:
        raise SystemExit(f"the PyTorch peer does not reproduce {path} (max |diff| {worst:.2e} > 1e-4)")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--ids", required=True, help="JSONL, one list of token ids a line (written by taskbert bench)")
    ap.add_argument("--batch-sizes", default="32,128")
    ap.add_argument("--check", help="a reference vectors JSONL (shared/reference) to verify the peer against first")
    ap.add_argument("--threads", type=int, default=0, help="0: one per core")
    ap.add_argument("--train-pairs", type=int, default=16)
    ap.add_argument("--train-length", type=int, default=32)
    ap.add_argument("--train-layers", default="2", help="top layers to train; a comma list gives a row each")
    ap.add_argument("--train-steps", type=int, default=6)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    else:
        import os
        torch.set_num_threads(len(os.sched_getaffinity(0)))
    cfg = json.load(open(f"{a.model_dir}/config.json"))
    model = Bert(cfg, load_safetensors(f"{a.model_dir}/model.safetensors"))
    if a.check:
        check(model, a.check)
    seqs = [json.loads(line) for line in open(a.ids)]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(seqs)} sentences", file=sys.stderr)
    for size in [int(b) for b in a.batch_sizes.split(",") if b]:
        print("BENCH_RESULT " + json.dumps(embed(model, cfg, seqs, size)), flush=True)
    if a.train_steps > 2:
        for layers in map(int, a.train_layers.split(",")):
            model = Bert(cfg, load_safetensors(f"{a.model_dir}/model.safetensors"))  # untrained weights for each row
            print("BENCH_RESULT " + json.dumps(train(model, cfg, seqs, a.train_pairs, a.train_length, layers,
                                                     a.train_steps)), flush=True)


if __name__ == "__main__":
    main()
