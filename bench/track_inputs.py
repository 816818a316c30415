"""What the forecast from detected boxes loses, and why: frames -> forecast against the forecaster's own error from true boxes.

Usage: python bench/track_inputs.py FRAMES_FOLDER [--steps 10] [--out bench/results/track_inputs.json]
FRAMES_FOLDER is written by `ballfast data make seq FOLDER --steps 30 --frames`. With the shipped models:
- `ballfast.track.evaluate_track` with the detector's sub-pixel boxes (`BallPipeline(snap=False)`, the default) and with its
  boxes rounded to the labels' integer grid (`snap=True`);
- the detector's per-frame centre error against the labels (per coordinate: std, and its correlation from one frame to
  the next and the one after);
- the forecaster fed the true boxes plus Gaussian noise on the centres (0.1 to 0.3 px per coordinate, drawn for every step
  and ball): the +1 centre error, against the true boxes alone.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import numpy as np, torch
from ballfast.core import bb2ctr
from ballfast.data import FRAME_PAT
from ballfast.forecast import rollout, _past, PAST
from ballfast.track import BallPipeline, read_track, read_frames, evaluate_track
from ballfast.distrib import machine_info

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('frames'); p.add_argument('--steps', type=int, default=10); p.add_argument('--out', default='bench/results/track_inputs.json')
    a = p.parse_args()
    pipe, sd = BallPipeline.load(), read_track(Path(a.frames))
    res = dict(machine=machine_info())
    for snap in (False, True):
        pipe.snap = snap
        r = evaluate_track(pipe, sd, a.steps)
        res[f'snap={snap}'] = {k: r[k] for k in ('n', 'detector_center_err_px', 'detected', 'true_inputs')}
    pipe.snap = False
    errs = []
    for i, s, c in zip(sd.idxs, sd.seqs, sd.clrs):
        _, bbs, _ = pipe.observe(read_frames([sd.path/FRAME_PAT.format(i, k) for k in range(PAST)], sd.path))
        errs.append(bb2ctr(bbs) - bb2ctr(s[:PAST, c > 0.5]))
    e = np.stack(errs) # (n, 19, 3, 2)
    corr = lambda k: round(float(np.corrcoef(e[:, k:].ravel(), e[:, :-k].ravel())[0, 1]), 3)
    res['detector_error'] = dict(coord_std_px=round(float(e.std()), 4), corr_lag1=corr(1), corr_lag2=corr(2))
    past, clrs, nxt = _past(sd, PAST)
    err1 = lambda x: round(float((bb2ctr(rollout(pipe.forecaster, x, clrs, 1)[:, :, 0]) - bb2ctr(nxt)).norm(dim=-1).mean()), 4)
    g = torch.Generator().manual_seed(0); noisy = {'true boxes': err1(past)}
    for std in (0.1, 0.2, 0.25, 0.3):
        n = torch.randn(*past.shape[:-1], 2, generator=g) * std
        noisy[f'true boxes + noise {std} px'] = err1(past + torch.cat([n, n], -1))
    res['forecast_plus1_from_noisy_true_boxes'] = noisy
    Path(a.out).write_text(json.dumps(res, indent=1)); print(json.dumps(res, indent=1))

if __name__ == '__main__': main()
