"""What reusing Ray's worker processes between trials saves: a toy search (`--trials` trials of a quadratic) by
`search_ray` on a running local Ray, with `reuse_actors` as ballfast sets it (True) and with Ray's default for it (False), in turn.

Usage: python bench/ray_reuse.py [--trials 3] [--runs 2] [--out bench/results/ray_reuse.json]
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, statistics, sys, tempfile, time, os
from pathlib import Path
import ballfast.hp as hp
from ballfast.distrib import machine_info

def quad(p): return (p['x'] - 1) ** 2

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--trials', type=int, default=3); ap.add_argument('--runs', type=int, default=2); ap.add_argument('--out', default='bench/results/ray_reuse.json')
    a = ap.parse_args()
    os.environ.setdefault('BALLFAST_TRUST_STORE', str(Path(tempfile.mkdtemp())/'trusted_sha256'))
    ray, tune, _ = hp._ray()
    ray.init(include_dashboard=False, log_to_driver=False, logging_level='ERROR')
    config = tune.TuneConfig
    res = {True: [], False: []}
    try:
        for _ in range(a.runs):
            for reuse in (True, False):
                tune.TuneConfig = lambda *args, **kw: config(*args, **(kw | dict(reuse_actors=reuse)))
                t = time.time(); hp.search_ray(quad, {'x': {'uniform': [-5, 5]}}, Path(tempfile.mkdtemp())/'st', n_trials=a.trials, progress=False)
                res[reuse].append(round(time.time() - t, 2))
    finally: tune.TuneConfig = config; ray.shutdown()
    out = dict(command='python bench/ray_reuse.py ' + ' '.join(sys.argv[1:]), machine=machine_info(), trials=a.trials,
               seconds=dict(reuse_actors=dict(median=statistics.median(res[True]), runs=res[True]), new_process_per_trial=dict(median=statistics.median(res[False]), runs=res[False])))
    Path(a.out).write_text(json.dumps(out, indent=1)); print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
