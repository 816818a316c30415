"""How far forecasters are from what physics allows, and how they do on another simulator.

Usage: python bench/forecast_limit.py [--models runs/models/forecast,...] [--out bench/results/forecast_limit.json]
On the default 30-step test sequences (1000, seed 1), rollouts from step 19 (centre error in px at +1, +5, +10) of each
model (run folders or weights-only files), the baselines (copy last, constant velocity, physics heuristic), and two references:
- `oracle`: each sequence re-simulated from its true state with its true hidden parameters, rounded to integer boxes;
- `sysid`: state, friction and restitution identified from the 19 observed steps, then simulated (`ballfast.forecast.sysid_centres`);
and, to see what limits a forecaster: `sysid, true parameters` (the identified state, the true mass, friction and restitution),
`exact float centres` (the true centres, not rounded: what any forecaster of continuous centres pays for integer labels), and
each model's +10 error split by whether the 10 forecast steps hold a collision.
Then the same models on 1000 sequences of another simulator written here (not pymunk: linear drag instead of constant friction,
lossy walls, equal-mass elastic collisions, other speeds), against constant velocity.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
import numpy as np
from ballfast.core import *
from ballfast.synth import default_data
from ballfast.data import SeqData, seq_phys
from ballfast.forecast import *
from ballfast.forecast import _past, _fit_ball
from ballfast.physics import simulate
from ballfast.run import load
from ballfast.distrib import machine_info
from other_sim import other_dynamics

def centres_err(pred, truth): return horizon_errors(pred, truth, (1, 5, 10))

def sysid_true_params(past, ph, steps):
    "sysid's identified state, simulated with the true hidden parameters"
    out = []
    for i, boxes in enumerate(np.asarray(past, dtype=np.float64)):
        fits = [_fit_ball(b) for b in bb2ctr(boxes)]
        sim = simulate(np.stack([f[0] for f in fits]), np.stack([f[1] for f in fits]), ph['mass'][i], ph['mu'][i], ph['rest'][i], steps=steps + 1)
        out.append(sim['pos'][1:].transpose(1, 0, 2))
    return np.stack(out)

def other_sim(rng, steps=30, r=5.5, substeps=8):
    "Centres (steps, 3, 2) of 3 balls in another simulator: linear drag, lossy walls, equal-mass elastic collisions"
    lo, hi = r + 0.5, IMG_SZ - 0.5 - r
    while True:
        p = rng.uniform(lo, hi, (3, 2))
        if min(np.linalg.norm(p[i] - p[j]) for i in range(3) for j in range(i)) > 2 * r + 1: break
    ang, spd = rng.uniform(0, 2 * np.pi, 3), rng.uniform(0.5, 7, 3)
    v = np.stack([np.cos(ang), np.sin(ang)], 1) * spd[:, None]
    drag, e_wall = rng.uniform(0, 0.06, 3), rng.uniform(0.6, 1, 3)
    return other_dynamics(p, v, steps, lo, hi, r, e_wall, drag, substeps=substeps)[0]

def other_set(n=1000, steps=30, seed=7):
    rng = np.random.default_rng(seed)
    seqs, clrs = np.zeros((n, steps, N_CLR, 4), np.float32), np.zeros((n, N_CLR), np.float32)
    for i in range(n):
        ks = np.sort(rng.choice(N_CLR, 3, replace=False)); clrs[i, ks] = 1
        seqs[i][:, ks] = ctr2bb(other_sim(rng, steps))
    return SeqData(Path('other_sim'), np.arange(n), clrs, seqs)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--models', default='runs/models/forecast'); p.add_argument('--out', default='bench/results/forecast_limit.json')
    a = p.parse_args()
    sd = read_forecast(default_data('seq', seed=1, n=1000, steps=30)); ph = seq_phys(sd)
    models = {Path(m).name if Path(m).is_dir() else m: load(m, 'forecast', device='cpu') for m in a.models.split(',')}
    res = {}
    for name, learn in models.items(): res[name] = evaluate_rollout(learn, sd, references=True)
    rows = res[next(iter(res))]
    past, clrs, _ = _past(sd, PAST)
    truth = bb2ctr(future_boxes(sd, PAST, 10)).numpy()
    rows['sysid, true parameters'] = centres_err(sysid_true_params(past, ph, 10), truth)
    rows['exact float centres'] = centres_err(ph['pos'][:, PAST:PAST + 10].transpose(0, 2, 1, 3), truth)
    coll = (ph['wall_hit'][:, PAST:PAST + 10] | ph['ball_hit'][:, PAST:PAST + 10]).any(1)
    split = {}
    for name, learn in models.items():
        pred = bb2ctr(rollout(learn, past, clrs, 10)).numpy()
        split[name] = {g: dict(n=int(m.sum()), **centres_err(pred[m], truth[m])) for g, m in (('collision in the 10 steps', coll), ('no collision', ~coll))}
    other = other_set(); op, oc, _ = _past(other, PAST)
    otruth = bb2ctr(future_boxes(other, PAST, 10)).numpy()
    oth = {n: centres_err(bb2ctr(rollout(m, op, oc, 10)).numpy(), otruth) for n, m in [*models.items(), ('const_vel', ConstVel()), ('physics', PhysicsHeuristic())]}
    for n in models: oth[n + ' / const_vel'] = {h: round(oth[n][h] / oth['const_vel'][h], 3) for h in oth[n]}
    out = dict(machine=machine_info(), test30=rows if len(models) == 1 else res, by_collision=split, other_simulator=oth)
    Path(a.out).write_text(json.dumps(out, indent=1)); print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
