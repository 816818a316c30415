"""Smoke test of a detector trained on synthetic data only, on the 12 real course images.

Usage: python bench/real_samples.py [MODEL] [--samples ../shared/reference/real_samples] [--out bench/results/real_samples.json]
For each image: is the predicted colour set the labelled one, and how far (px) is each predicted centre from the
labelled centre. The labels come from colour blobs, checked by eye, within about 1-2 px.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import numpy as np
from ballfast.core import COLORS, bb2ctr
from ballfast.stats import read_labelled
from ballfast.run import load
from ballfast.detect import predict_arrays, detections
from ballfast.distrib import machine_info

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('model', nargs='?', default='detect', help='the shipped detector (default), a run folder, a .safetensors or a trusted .pkl'); p.add_argument('--samples', default='../shared/reference/real_samples')
    p.add_argument('--out', default='bench/results/real_samples.json')
    a = p.parse_args()
    real = read_labelled(a.samples)
    names = list(json.loads((Path(a.samples)/'labels.json').read_text()))
    act = predict_arrays(load(a.model, 'detect', device='cpu'), real.imgs)
    rows = []
    for name, ac, c, bb in zip(names, act, real.clrs, real.bbs):
        det = detections(ac); true = [COLORS[k] for k in np.nonzero(c)[0]]
        errs = [float(np.linalg.norm(bb2ctr(np.array(det['boxes'][det['colours'].index(t)])) - bb2ctr(bb[COLORS.index(t)])))
                if t in det['colours'] else None for t in true]
        rows.append(dict(file=name, true=true, pred=det['colours'], colours_ok=sorted(true) == sorted(det['colours']),
                         centre_err_px=[None if e is None else round(e, 2) for e in errs]))
    errs = [e for r in rows for e in r['centre_err_px'] if e is not None]
    res = dict(machine=machine_info(), model=a.model, n=len(rows), colour_sets_ok=sum(r['colours_ok'] for r in rows),
               centres_within_3px=sum(e <= 3 for e in errs), n_centres=3 * len(rows),
               max_centre_err_px=round(max(errs), 2), mean_centre_err_px=round(float(np.mean(errs)), 2), images=rows)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1))
    print(json.dumps({k: v for k, v in res.items() if k != 'images'}, indent=1))
    for r in rows: print(r)

if __name__ == '__main__': main()
