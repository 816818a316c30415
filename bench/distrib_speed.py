"""Data-parallel training on this machine: 1 process with all the cores against N processes with one core each.

Usage: python bench/distrib_speed.py [--task detect] [--n 6000] [--epochs 2] [--bs 64] [--procs 2] [--runs 2]
                                     [--out bench/results/distrib_speed.json]
The same run (`ballfast train TASK` on the first N items of the default set, fixed learning rate, seed 0) once in one
process with torch using all the cores, once started by `ballfast train --procs P` (torchrun, gloo, one thread a process),
the total batch size the same (bs in one process, bs/P in each of the P processes). Runs alternate, `--runs` of each.
Reported: training items per second of the epochs (from each run's history.csv, validation included, as fastai
times an epoch), the wall time of the whole command, the validation metrics of the exported model, and the
ratio P processes / 1 process of the items per second, measured in the same invocation.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path
import pandas as pd

def run(args, env=None):
    t = time.perf_counter()
    r = subprocess.run([sys.executable, '-m', 'ballfast.cli', *args], capture_output=True, text=True, env=env)
    if r.returncode: raise SystemExit(f'failed: {" ".join(args)}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}')
    return time.perf_counter() - t

def epoch_secs(out):
    "Seconds of each epoch, from the run's log"
    return [sum(int(x) * 60 ** i for i, x in enumerate(reversed(t.split(':')))) for t in pd.read_csv(Path(out)/'history.csv')['time']]

def subset(task, n, dest):
    "A folder of the first `n` items of the task's default set (links, not copies)"
    from ballfast.task import get_task
    from ballfast.synth import default_data
    from ballfast.data import DETECT_PATS, SEQ_PATS
    src = default_data(get_task(task).kind); dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        for pat in (DETECT_PATS if get_task(task).kind == 'detect' else SEQ_PATS): os.symlink(src/pat.format(i), dest/pat.format(i))
    return dest

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--task', default='detect'); p.add_argument('--n', type=int, default=6000); p.add_argument('--epochs', type=int, default=2)
    p.add_argument('--bs', type=int, default=64); p.add_argument('--procs', type=int, default=2); p.add_argument('--runs', type=int, default=2)
    p.add_argument('--lr', default='3e-3'); p.add_argument('--out', default='bench/results/distrib_speed.json')
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp()); data = subset(a.task, a.n, tmp/'data')
    env = os.environ | dict(BALLFAST_TRUST_STORE=str(tmp/'trusted'))
    common = ['train', a.task, '--data', str(data), '--epochs', str(a.epochs), '--lr', a.lr, '--seed', '0']
    res = {'1 process': [], f'{a.procs} processes': []}
    for k in range(a.runs):
        for name, extra in [('1 process', ['--bs', str(a.bs)]), (f'{a.procs} processes', ['--bs', str(a.bs // a.procs), '--procs', str(a.procs)])]:
            out = tmp/f'{name.split()[0]}_{k}'
            wall = run([*common, '--out', str(out), *extra], env)
            info = json.loads((out/f'{a.task}.json').read_text())
            n_train = a.n * 0.9
            secs = epoch_secs(out)
            res[name].append(dict(wall_s=round(wall, 1), epoch_s=secs, items_per_s=round(n_train * len(secs) / sum(secs), 1),
                                  valid=info['metrics']['valid'], threads=info['settings']['threads'], processes=info['settings']['processes']))
            print(name, res[name][-1], flush=True)
    med = {k: statistics.median(r['items_per_s'] for r in v) for k, v in res.items()}
    summary = dict(task=a.task, n=a.n, epochs=a.epochs, total_bs=a.bs, lr=a.lr, runs=res, median_items_per_s=med,
                   ratio=round(med[f'{a.procs} processes'] / med['1 process'], 3), machine=dict(cores=len(os.sched_getaffinity(0))))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(summary, indent=1))
    print(json.dumps({k: summary[k] for k in ('median_items_per_s', 'ratio')}))
    shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': main()
