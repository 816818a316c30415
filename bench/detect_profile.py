"""Where the detector's training seconds go, and what channels-last and bfloat16 change.

Usage: python bench/detect_profile.py [--n 3000] [--bs 64] [--steps 30] [--runs 3] [--out bench/results/detect_profile.json]
1. Data: seconds per image to generate (pymunk + rendering + JPEG, both cores) and to read back (decode and check) `--n` images.
2. One training step of the default detector (`BallNet`, bs 64, Adam, `DetectLoss`) under torch.profiler: the share of
   each stage (forward and loss, backward, optimizer step) and of each kind of operator (convolution forward and backward, batch norm forward and backward, activations,
   the optimizer step, the loss, the rest), over `--steps` steps, channels-last as `detect_learner` builds it.
3. Training images per second (forward, backward, optimizer step) of the same model in four variants: PyTorch's default
   memory layout or channels-last, float32 or bfloat16 autocast; medians of `--runs` runs of `--steps` steps, variants
   alternating, in one process.
fastai's own overhead (callbacks, DataLoader) is measured by bench/detect_speed.py (fit_one_cycle against a plain loop).
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, statistics, tempfile, time, shutil, warnings
from collections import defaultdict
from pathlib import Path
warnings.filterwarnings('ignore')
import torch
from ballfast.synth import make_data
from ballfast.data import read_detect
from ballfast.detect import BallNet, DetectLoss, BALL_STATS
from ballfast.learner import fast_adam
from ballfast.distrib import machine_info

KINDS = [('conv backward', ('convolution_backward',)), ('conv forward', ('mkldnn_convolution', 'convolution', '_convolution', 'conv2d')),
         ('batch norm backward', ('batch_norm_backward', 'native_batch_norm_backward')), ('batch norm forward', ('batch_norm', 'native_batch_norm')),
         ('activations', ('relu', 'threshold', 'leaky_relu', 'silu')), ('optimizer step', ('_foreach', 'adam', 'addcdiv', 'lerp')),
         ('loss', ('binary_cross_entropy', 'mse_loss', 'l1_loss', 'smooth_l1'))]

def kind(name):
    for k, keys in KINDS:
        if any(key in name for key in keys): return k
    return 'other'

def batches(imgs, bbs, clrs, bs, steps):
    mean, std = [torch.tensor(s).view(1, 3, 1, 1) for s in BALL_STATS]
    x = (torch.from_numpy(imgs[:bs * steps]).permute(0, 3, 1, 2).float() / 255 - mean) / std
    bb = torch.from_numpy(bbs[:bs * steps]).float() * 0.02 - 1; c = torch.from_numpy(clrs[:bs * steps]).float()
    return [(x[i:i + bs], bb[i:i + bs], c[i:i + bs]) for i in range(0, bs * steps, bs)]

def make(cl):
    torch.manual_seed(0); m = BallNet().train()
    if cl: m = m.to(memory_format=torch.channels_last)
    return m, fast_adam(list(m.parameters()), lr=1e-3), DetectLoss()

STAGES = ('forward and loss', 'backward', 'optimizer step')

def step(m, opt, loss_func, b, cl, bf16):
    rf = torch.profiler.record_function
    x = b[0].contiguous(memory_format=torch.channels_last) if cl else b[0]
    with rf(STAGES[0]):
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16): out = m(x)
        loss = loss_func(out.float(), b[1], b[2])
    with rf(STAGES[1]): loss.backward()
    with rf(STAGES[2]): opt.step(); opt.zero_grad()

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=3000); p.add_argument('--bs', type=int, default=64); p.add_argument('--steps', type=int, default=30)
    p.add_argument('--runs', type=int, default=3); p.add_argument('--out', default='bench/results/detect_profile.json')
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp()); res = dict(machine=machine_info())
    try:
        t = time.perf_counter(); make_data('detect', tmp/'d', n=a.n, seed=5, progress=False); gen = time.perf_counter() - t
        t = time.perf_counter(); dd = read_detect(tmp/'d'); rd = time.perf_counter() - t
    finally: shutil.rmtree(tmp, ignore_errors=True)
    res['data_ms_per_image'] = dict(generate=round(1000 * gen / a.n, 3), read_and_check=round(1000 * rd / a.n, 3))
    bs_ = batches(dd.imgs, dd.bbs, dd.clrs, a.bs, a.steps)
    m, opt, lf = make(True)
    for b in bs_[:3]: step(m, opt, lf, b, True, False) # warm-up
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        for b in bs_: step(m, opt, lf, b, True, False)
    shares, stages = defaultdict(float), {}
    for e in prof.key_averages():
        if e.key in STAGES: stages[e.key] = e.cpu_time_total
        else: shares[kind(e.key)] += e.self_cpu_time_total
    res['step_stage_share'] = {k: round(v / sum(stages.values()), 3) for k, v in stages.items()}
    tot = sum(shares.values())
    res['step_cpu_share'] = {k: round(v / tot, 3) for k, v in sorted(shares.items(), key=lambda kv: -kv[1])}
    variants = {'default layout, float32': (False, False), 'channels-last, float32': (True, False),
                'default layout, bfloat16 autocast': (False, True), 'channels-last, bfloat16 autocast': (True, True)}
    rates = defaultdict(list)
    for _ in range(a.runs):
        for name, (cl, bf16) in variants.items():
            m, opt, lf = make(cl)
            for b in bs_[:3]: step(m, opt, lf, b, cl, bf16)
            t = time.perf_counter()
            for b in bs_: step(m, opt, lf, b, cl, bf16)
            rates[name].append(a.bs * a.steps / (time.perf_counter() - t))
    med = {k: round(statistics.median(v), 1) for k, v in rates.items()}
    base = med['default layout, float32']
    res['train_images_per_s'] = {k: dict(median=v, ratio=round(v / base, 3)) for k, v in med.items()}
    res['runs'] = {k: [round(x, 1) for x in v] for k, v in rates.items()}
    Path(a.out).write_text(json.dumps(res, indent=1)); print(json.dumps(res, indent=1))

if __name__ == '__main__': main()
