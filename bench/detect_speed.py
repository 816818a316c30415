"""Throughput of one fit_one_cycle epoch of the default detector against a plain PyTorch loop.

Usage: python bench/detect_speed.py [--n 6000] [--runs 3] [--bs 64] [--out bench/results/detect_speed.json]
Same model (BallNet, channels-last, as `detect_learner` builds it), loss, optimizer (Adam), batch size and data (the first N images of the cached default
set, split by scene 90/10) in one process. The plain loop indexes uint8 tensors held in memory (channels-last, as ballfast's DetectDL), normalizes
per batch in one pass, trains one epoch with a one-cycle schedule, then runs the validation images once, as fastai's
epoch does. fastai runs `fit_one_cycle(1)` on `detect_dls` (in-memory DetectDL), with its batch
augmentations (flip, lighting) and without (the same work as the plain loop). Runs alternate, in an order that turns
from run to run; medians are reported.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, statistics, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import numpy as np, torch
from fastai.vision.all import set_seed
from ballfast.data import read_detect, DetectData
from ballfast.synth import default_data
from ballfast.detect import detect_dls, detect_learner, DetectLoss, BallNet, BALL_STATS
from ballfast.distrib import machine_info

def plain_epoch(dls, bs):
    "One epoch of a hand-written loop over the same items: train + one pass over the validation items"
    tr, va = dls.train.items, dls.valid.items
    def tensors(items):
        x = torch.from_numpy(np.stack([o.img for o in items])).permute(0, 3, 1, 2) # channels-last, as the images lie in memory
        bb = torch.from_numpy(np.stack([o.bbs for o in items])).float() * 0.02 - 1
        return x, bb, torch.from_numpy(np.stack([o.clrs for o in items])).float()
    (x, bb, c), (vx, vbb, vc) = tensors(tr), tensors(va)
    mean, std = [torch.tensor(s).view(1, 3, 1, 1) * 255 for s in BALL_STATS]
    norm = lambda u: torch.addcmul(-mean / std, u.float(), 1 / std) # one pass, as ballfast's BallNormalize
    model, loss_func = BallNet().to(memory_format=torch.channels_last), DetectLoss() # as detect_learner builds it
    opt = torch.optim.Adam(model.parameters(), 1e-3, weight_decay=0.01)
    n_b = len(tr) // bs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=n_b, pct_start=0.25)
    t = time.perf_counter(); model.train()
    perm = torch.randperm(len(tr))
    for k in range(n_b):
        i = perm[k*bs:(k+1)*bs]
        loss = loss_func(model(norm(x[i])), bb[i], c[i])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    model.eval()
    with torch.no_grad():
        for k in range(0, len(va), bs * 2): loss_func(model(norm(vx[k:k+bs*2])), vbb[k:k+bs*2], vc[k:k+bs*2])
    return time.perf_counter() - t

def fastai_epoch(dd, bs, aug):
    dls = detect_dls(dd, bs=bs, aug=aug)
    learn = detect_learner(dls, 'default', path='/tmp/bench_detect_speed')
    t = time.perf_counter()
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, 3e-3)
    return time.perf_counter() - t, dls

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=6000); p.add_argument('--runs', type=int, default=3)
    p.add_argument('--bs', type=int, default=64); p.add_argument('--out', default='bench/results/detect_speed.json')
    a = p.parse_args()
    torch.set_num_threads(2); set_seed(0)
    full = read_detect(default_data('detect'))
    dd = DetectData(full.path, full.idxs[:a.n], full.imgs[:a.n], full.clrs[:a.n], full.bbs[:a.n])
    res = dict(plain=[], fastai_aug=[], fastai_noaug=[])
    dls = detect_dls(dd, bs=a.bs) # its split, for the plain loop
    runs = dict(fastai_aug=lambda: fastai_epoch(dd, a.bs, True)[0], plain=lambda: plain_epoch(dls, a.bs), fastai_noaug=lambda: fastai_epoch(dd, a.bs, False)[0])
    names = list(runs)
    for k in range(a.runs): # the order turns from run to run, so that no variant always comes first
        for name in names[k % 3:] + names[:k % 3]: res[name].append(runs[name]())
    n_tr = len(dls.train.items) // a.bs * a.bs
    med = {k: statistics.median(v) for k, v in res.items()}
    out = dict(machine=machine_info(), n_train=n_tr, n_valid=len(dls.valid.items), bs=a.bs, runs=a.runs,
               seconds={k: [round(x, 2) for x in v] for k, v in res.items()},
               img_per_s={k: round(n_tr / v) for k, v in med.items()},
               ratio_fastai_aug_vs_plain=round(med['plain'] / med['fastai_aug'], 3),
               ratio_fastai_noaug_vs_plain=round(med['plain'] / med['fastai_noaug'], 3))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
