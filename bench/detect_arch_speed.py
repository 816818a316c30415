"""Training images/s of narrower or shallower variants of the default detector (`BallNet`), to find where its epochs can get cheaper.

Usage: python bench/detect_arch_speed.py [--bs 64] [--steps 15] [--runs 3] [--out bench/results/detect_arch_speed.json]
A training step (forward, `DetectLoss`, backward, Adam) on random 100x100 batches, for each variant in turn, `--runs`
times after one warm-up run, in PyTorch's default layout and in channels-last; the median images/s of each, and its
ratio to the default network in the same layout. Accuracy is not measured here: a variant is worth training only where
it is much faster. The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, statistics, sys, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import torch
from ballfast.detect import BallNet, DetectLoss
from ballfast.learner import fast_adam
from ballfast.distrib import machine_info

VARIANTS = {'default (w 32, dilations 1,2,4,1)': {}, 'w 24': dict(w=24), 'w 16': dict(w=16),
            'dilations 1,2,1': dict(dils=(1, 2, 1)), 'w 24, dilations 1,2,4': dict(w=24, dils=(1, 2, 4))}

def speeds(cl, bs, steps, runs):
    torch.manual_seed(0)
    x = torch.randn(bs, 3, 100, 100); bb = torch.rand(bs, 9, 4) * 2 - 1; c = (torch.rand(bs, 9) > 0.6).float()
    if cl: x = x.contiguous(memory_format=torch.channels_last)
    ms = {k: BallNet(**kw).train() for k, kw in VARIANTS.items()}
    if cl: ms = {k: m.to(memory_format=torch.channels_last) for k, m in ms.items()}
    opts, lf, res = {k: fast_adam(list(m.parameters()), lr=1e-3) for k, m in ms.items()}, DetectLoss(), {k: [] for k in VARIANTS}
    for r in range(runs + 1): # the first run warms up
        for k, m in ms.items():
            t = time.perf_counter()
            for _ in range(steps): lf(m(x), bb, c).backward(); opts[k].step(); opts[k].zero_grad()
            if r: res[k].append(round(bs * steps / (time.perf_counter() - t), 1))
    base = statistics.median(res[next(iter(VARIANTS))])
    return {k: dict(images_per_s=statistics.median(v), ratio=round(statistics.median(v) / base, 2), runs=v) for k, v in res.items()}

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--bs', type=int, default=64); p.add_argument('--steps', type=int, default=15); p.add_argument('--runs', type=int, default=3)
    p.add_argument('--out', default='bench/results/detect_arch_speed.json')
    a = p.parse_args()
    res = dict(command='python bench/detect_arch_speed.py ' + ' '.join(sys.argv[1:]), machine=machine_info(),
               **{layout: speeds(cl, a.bs, a.steps, a.runs) for layout, cl in (('default layout', False), ('channels-last', True))})
    Path(a.out).write_text(json.dumps(res, indent=1)); print(json.dumps(res, indent=1))

if __name__ == '__main__': main()
