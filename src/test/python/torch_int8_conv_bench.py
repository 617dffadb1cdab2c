"""Peer figures for ConvThroughputTableBench: PyTorch int8 convolution on the same layer shapes.

Usage: /usr/bin/python3 src/test/python/torch_int8_conv_bench.py [layer ...]
Layer names read HxWxCin-RxSxCout (stride 1, "same" padding), as in ConvThroughputBench.
Prints one tab-separated line per layer and engine:
  layer  engine  ms/op  GMAC/s(wall)  GMAC/CPU-s
on 2 threads (torch.set_num_threads(2)), quint8 activations NHWC, qint8 per-tensor weights,
requantized quint8 output (conv + requant, comparable to our conv + SDP).
"""
import sys
import time

import torch
import torch.nn.quantized as nnq

LAYERS = ["56x56x64-3x3x64", "28x28x128-3x3x128", "14x14x256-3x3x256", "7x7x512-3x3x512",
          "56x56x64-1x1x256", "56x56x256-1x1x64", "28x28x512-1x1x128", "14x14x1024-1x1x256",
          "7x7x2048-1x1x512"]


def parse(layer):
    i, k = layer.split("-")
    h, w, c = (int(v) for v in i.split("x"))
    r, s, kout = (int(v) for v in k.split("x"))
    return h, w, c, r, s, kout


def measure(layer, engine, min_seconds=1.0):
    h, w, c, r, s, kout = parse(layer)
    torch.backends.quantized.engine = engine
    g = torch.Generator().manual_seed(42)
    conv = nnq.Conv2d(c, kout, (r, s), stride=1, padding=(r // 2, s // 2))
    wq = torch.quantize_per_tensor(torch.randint(-128, 128, (kout, c, r, s), generator=g).float(),
                                   1.0, 0, torch.qint8)
    conv.set_weight_bias(wq, None)
    conv.scale, conv.zero_point = float(c * r * s * 64), 128
    x = torch.quantize_per_tensor(torch.randint(0, 256, (1, c, h, w), generator=g).float() - 128,
                                  1.0, 128, torch.quint8).contiguous(memory_format=torch.channels_last)
    macs = h * w * c * r * s * kout
    with torch.no_grad():
        for _ in range(5):
            conv(x)
        reps = 0
        c0, t0 = time.process_time(), time.perf_counter()
        while True:
            conv(x)
            reps += 1
            wall = time.perf_counter() - t0
            if wall >= min_seconds and reps >= 5:
                break
        cpu = time.process_time() - c0
    return wall / reps * 1e3, macs * reps / wall / 1e9, macs * reps / cpu / 1e9


def main():
    torch.set_num_threads(2)
    layers = sys.argv[1:] or LAYERS
    engines = [e for e in ("qnnpack", "onednn", "fbgemm") if e in torch.backends.quantized.supported_engines]
    for layer in layers:
        for engine in engines:
            ms, wall, cpu = measure(layer, engine)
            print(f"{layer}\t{engine}\t{ms:.3f}\t{wall:.2f}\t{cpu:.2f}", flush=True)


if __name__ == "__main__":
    main()
