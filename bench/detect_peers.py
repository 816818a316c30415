"""The detectors a user could pick instead, on the same data, with the same metrics, for the same wall-clock budget.

Usage: python bench/detect_peers.py --budget SECONDS [--model runs/models/detect] [--out bench/results/detect_peers.json]
- torchvision's SSDlite320-MobileNetV3 (a generic detector), trained from scratch (no weights can be downloaded here) on
  the default set for `--budget` seconds of training with a plain PyTorch loop (its own losses, SGD as in torchvision's
  reference recipe, batch size 32); its detections are read as ballfast's: for each colour, its best-scored box.
- ballfast's `seed` model (the original report's network and loss), `ballfast train detect --arch seed` with as many epochs
  as fit in the budget (bs 16, lr 6.5e-4, the report's).
- ballfast's default model: the run folder `--model` (trained by `ballfast train detect`), for reference.
All are scored by `ballfast.detect.evaluate_detect`'s metrics on the held-out test set (3000 images, seed 1).
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, math, os, subprocess, sys, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import numpy as np, torch
from ballfast.core import *
from ballfast.data import read_detect
from ballfast.synth import default_data
from ballfast.detect import color_exact, ball_ious, ball_ctr_errs, map50, map_coco, pair_iou, evaluate_detect
from ballfast.run import load
from ballfast.distrib import machine_info

def ssd_acts(model, imgs, bs=64):
    "Activations (n, 9, 5) (scores, pixel boxes) of an SSDlite on uint8 images: each colour's best box"
    model.eval(); out = torch.zeros(len(imgs), N_CLR, 5)
    with torch.no_grad():
        for i in range(0, len(imgs), bs):
            x = [torch.from_numpy(a).permute(2, 0, 1).float() / 255 for a in imgs[i:i + bs]]
            for j, det in enumerate(model(x)):
                for k in range(N_CLR):
                    m = det['labels'] == k + 1
                    if m.any(): b = det['scores'][m].argmax(); out[i + j, k, 0] = det['scores'][m][b]; out[i + j, k, 1:] = det['boxes'][m][b]
    return out

def score(act, dd):
    bbs, clrs = torch.from_numpy(dd.bbs), torch.from_numpy(dd.clrs)
    ious = pair_iou(act[..., 1:], bbs)
    return dict(color_exact=float(color_exact(act, bbs, clrs)), mean_iou=float(ball_ious(act[..., 1:], bbs, clrs).mean()),
                center_err_px=float(ball_ctr_errs(act[..., 1:], bbs, clrs).mean()), map50=map50(act[..., 0], ious, clrs), map_coco=map_coco(act[..., 0], ious, clrs))

def train_ssd(dd, budget, bs=32, lr=0.015):
    from torchvision.models.detection import ssdlite320_mobilenet_v3_large
    torch.manual_seed(0)
    model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=N_CLR + 1)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=4e-5)
    t0, seen, steps = time.perf_counter(), 0, 0
    model.train(); rng = np.random.default_rng(0)
    while time.perf_counter() - t0 < budget:
        for i in np.array_split(rng.permutation(len(dd)), len(dd) // bs):
            x = [torch.from_numpy(dd.imgs[j]).permute(2, 0, 1).float() / 255 for j in i]
            y = [dict(boxes=torch.from_numpy(dd.bbs[j][dd.clrs[j] > 0]).float(), labels=torch.from_numpy(np.nonzero(dd.clrs[j])[0] + 1)) for j in i]
            frac = min(1., (time.perf_counter() - t0) / budget) # cosine schedule over the budget, with a short warm-up
            for g in opt.param_groups: g['lr'] = lr * min(1., steps / 50) * 0.5 * (1 + math.cos(math.pi * frac))
            loss = sum(model(x, y).values()); opt.zero_grad(); loss.backward(); opt.step()
            seen += len(i); steps += 1
            if time.perf_counter() - t0 >= budget: break
    return model, dict(train_s=round(time.perf_counter() - t0, 1), images_seen=seen, images_per_s=round(seen / (time.perf_counter() - t0), 1))

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--budget', type=float, required=True); p.add_argument('--model', default='runs/models/detect')
    p.add_argument('--out', default='bench/results/detect_peers.json'); p.add_argument('--seed-epochs', type=int, default=None)
    a = p.parse_args()
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    train, test = read_detect(default_data('detect')), read_detect(default_data('detect', seed=1, n=3000))
    res = {}
    learn = load(a.model, 'detect', device='cpu'); ev = evaluate_detect(learn, test)
    info = json.loads((Path(a.model)/'detect.json').read_text())
    res['ballfast default'] = dict(command=info.get('command'), **{k: ev[k] for k in ('color_exact', 'mean_iou', 'center_err_px', 'map50', 'map_coco')})
    model, stats = train_ssd(train, a.budget)
    res['SSDlite320-MobileNetV3 (torchvision, from scratch)'] = dict(**stats, **score(ssd_acts(model, test.imgs), test))
    print(json.dumps(res, indent=1), flush=True)
    out = Path('/tmp/bench_seed_detect')
    seed_epochs = a.seed_epochs or max(1, int(a.budget // 80)) # a seed epoch takes about 80 s here (BENCHMARKS.md)
    cmd = ['train', 'detect', '--arch', 'seed', '--epochs', str(seed_epochs), '--bs', '16', '--lr', '6.5e-4', '--out', str(out), '--force']
    t = time.perf_counter(); subprocess.run([sys.executable, '-m', 'ballfast.cli', *cmd], check=True, capture_output=True)
    sinfo = json.loads((out/'detect.json').read_text())
    res['seed (the original report)'] = dict(command='ballfast ' + ' '.join(cmd), wall_s=round(time.perf_counter() - t, 1),
                                            **{k: sinfo['metrics']['test'][k] for k in ('color_exact', 'mean_iou', 'center_err_px', 'map50', 'map_coco')})
    base = res['ballfast default']
    for r in res.values(): r['center_err_ratio_to_ballfast'] = round(r['center_err_px'] / base['center_err_px'], 2)
    Path(a.out).write_text(json.dumps(dict(budget_s=a.budget, machine=machine_info(), results=res), indent=1))
    print(json.dumps(res, indent=1))

if __name__ == '__main__': main()
