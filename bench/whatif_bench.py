"""The what-if task: the model against the baselines and references, on ballfast's look-alikes and on another simulator's.

Usage: python bench/whatif_bench.py [--model runs/models/whatif] [--n 1000] [--out bench/results/whatif_bench.json]
1. The default test set (`n` examples of each number of balls 2-6, seed 1, ballfast's simulator): `ballfast eval whatif`'s
   evaluation (COPHY's metric by number of balls, centre errors by horizon, confounder accuracy) of the model, the
   baselines, `sysid` and the simulator with the true confounders.
2. `n // 5` examples of each number of balls written in COPHY's layout by another simulator, here (numpy, not pymunk:
   drag proportional to speed instead of a constant deceleration, restitution applied to walls and balls alike as the
   mean of the pair, other start speeds), with the same confounder sets: the same evaluation. There, `true_confounders`
   is ballfast's simulator fed the true confounders, so it pays for the other laws too.
The CPU (model, torch's capability) and thread count are recorded with the timings.
"""
import argparse, json, time, tempfile, shutil
from pathlib import Path
import numpy as np, torch
from ballfast.core import *
from ballfast.cophy import *
from ballfast.cophy import _states, _bboxes
from ballfast.physics import free_place
from ballfast.whatif import evaluate_whatif, whatif_report
from ballfast.synth import default_data
from ballfast.run import load
from ballfast.distrib import machine_info
from other_sim import other_dynamics

def other_run(ctrs, vels, mass, fric, rest, steps=CF_STEPS, substeps=8, r=BALL_R):
    "Centres and velocities (steps, n, 2) in px of another simulator: drag proportional to speed, restitution of a pair the mean of the two"
    lo, hi = WALL[0] + r, WALL[1] - r
    p, v = np.array(ctrs, float), np.array(vels, float)
    drag = 0.04 * np.asarray(fric) # per step, of the speed
    return other_dynamics(p, v, steps, lo, hi, r, rest, drag, mass, rest, substeps)

def other_set(path, n, seed=7):
    "Write `n` examples of each number of balls of the other simulator in COPHY's layout"
    rng = np.random.default_rng(seed)
    for b in CF_BALLS:
        for i in range(n):
            k = np.sort(rng.choice(N_CLR, b, replace=False)); ctrs = []
            for _ in range(b): ctrs.append(free_place(rng, ctrs))
            ang, spd = rng.uniform(0, 2 * np.pi, b), rng.uniform(0.5, 7, b)
            vels = np.stack([np.cos(ang), np.sin(ang)], 1) * spd[:, None]
            conf = np.stack([rng.choice(v, b) for v in CF_SETS.values()], 1)
            j = int(rng.integers(b)); keep = np.arange(b); c0 = np.array(ctrs)
            if rng.random() < 0.5: c0[j] = free_place(rng, [c for m, c in enumerate(ctrs) if m != j])
            else: keep = np.delete(keep, j)
            d = Path(path)/str(b)/str(i)
            for sub, (p, v), ks in (('ab', other_run(np.array(ctrs), vels, *conf.T), k), ('cd', other_run(c0[keep], vels[keep], *conf[keep].T), k[keep])):
                (d/sub).mkdir(parents=True)
                np.save(d/sub/'states.npy', _states(p, v, ks)); np.save(d/sub/'bboxes.npy', _bboxes(p, ks))
                (d/sub/'colors.txt').write_text(''.join(COLORS[c] + '\n' for c in ks))
            cf = np.zeros((N_CLR, 3), np.float32); cf[k] = conf; np.save(d/'confounders.npy', cf)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--model', default=None); ap.add_argument('--n', type=int, default=1000); ap.add_argument('--out', default='bench/results/whatif_bench.json')
    a = ap.parse_args()
    learn = load(a.model, 'whatif', device='cpu')
    res = dict(machine=machine_info(), command='python bench/whatif_bench.py' + (f' --model {a.model}' if a.model else '') + (f' --n {a.n}' if a.n != 1000 else ''))
    cd = read_cophy(default_data('cophy', seed=1, n=a.n))
    t = time.perf_counter(); res['test'] = evaluate_whatif(learn, cd); res['test']['seconds'] = round(time.perf_counter() - t, 1)
    print('\n'.join(whatif_report(res['test'])))
    tmp = Path(tempfile.mkdtemp())
    try:
        other_set(tmp/'other', max(1, a.n // 5))
        other = read_cophy(tmp/'other'); other.lookalike = True # ballfast's arena and world units, another simulator's laws
        res['other_simulator'] = evaluate_whatif(learn, other)
    finally: shutil.rmtree(tmp)
    print('\nanother simulator:'); print('\n'.join(whatif_report(res['other_simulator'])))
    Path(a.out).write_text(json.dumps(res, indent=1))

if __name__ == '__main__': main()
