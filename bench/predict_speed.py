"""Inference speed: `predict` of a detector against a plain PyTorch forward of the same model on the same images.

Usage: python bench/predict_speed.py [--model detect] [--n 3000] [--bs 256] [--runs 5] [--out bench/results/predict_speed.json]
Both take uint8 images (N, 100, 100, 3) in memory and give activations: ballfast's `predict_arrays` (fastai's `test_dl` and
`get_preds`, the loss's activation, pixel boxes) and a plain loop (normalize, forward in `torch.no_grad`, sigmoid) over the same
batches, in one process with torch using all the cores. Runs alternate; medians of `--runs`, and their ratio.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, statistics, time, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import torch
from ballfast.data import read_detect
from ballfast.synth import default_data
from ballfast.detect import predict_arrays, BALL_STATS
from ballfast.run import load
from ballfast.distrib import machine_info

def plain(model, imgs, bs):
    mean, std = [torch.tensor(s).view(1, 3, 1, 1) for s in BALL_STATS]
    out = []
    with torch.no_grad():
        for i in range(0, len(imgs), bs):
            x = torch.from_numpy(imgs[i:i + bs]).permute(0, 3, 1, 2).float() / 255
            o = model((x - mean) / std); out.append(torch.cat([o[..., :1].sigmoid(), o[..., 1:]], -1))
    return torch.cat(out)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--model', default='detect'); p.add_argument('--n', type=int, default=3000); p.add_argument('--bs', type=int, default=256)
    p.add_argument('--runs', type=int, default=5); p.add_argument('--out', default='bench/results/predict_speed.json')
    a = p.parse_args()
    imgs = read_detect(default_data('detect', seed=1, n=3000)).imgs[:a.n]
    learn = load(a.model, 'detect', device='cpu'); model = learn.model.eval()
    res = dict(predict=[], plain=[])
    for _ in range(a.runs):
        t = time.perf_counter(); act = predict_arrays(learn, imgs, a.bs); res['predict'].append(len(imgs) / (time.perf_counter() - t))
        t = time.perf_counter(); ref = plain(model, imgs, a.bs); res['plain'].append(len(imgs) / (time.perf_counter() - t))
    assert torch.allclose(act[..., 0], ref[..., 0], atol=1e-5), 'the two paths disagree'
    med = {k: round(statistics.median(v), 1) for k, v in res.items()}
    out = dict(machine=machine_info(), n=len(imgs), bs=a.bs, images_per_s=med, ratio=round(med['predict'] / med['plain'], 3), runs=res)
    Path(a.out).write_text(json.dumps(out, indent=1)); print(json.dumps({k: out[k] for k in ('images_per_s', 'ratio')}))

if __name__ == '__main__': main()
