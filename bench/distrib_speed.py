"""Data-parallel training on this machine: 1 process with all the cores against N processes with one core each.

Usage: python bench/distrib_speed.py [--task detect] [--n 6000] [--epochs 2] [--bs 64] [--procs 2] [--runs 2]
                                     [--out bench/results/distrib_speed.json]
The same run (`ballfast train TASK` on the first N items of the default set, fixed learning rate, seed 0) once in one
process with torch using all the cores, once started by `ballfast train --procs P` (torchrun, gloo, one thread a process),
the total batch size the same (`--bs` is the total: bs in one process, bs/P in each of the P processes, as `train` splits it). Runs alternate, `--runs` of each.
Reported: training items per second of the epochs (timed by a callback in rank 0 from the start of the first epoch's
training to the end of the last epoch's validation), the wall time of the whole command, the validation metrics of the
exported model, and the ratio P processes / 1 process of the items per second, measured in the same invocation.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path
from ballfast.distrib import machine_info

RUN = """
import sys, json, time
from fastai.callback.core import Callback
from fastai.distributed import rank_distrib
import ballfast.run
class Clock(Callback):
    order = 0
    def before_fit(self): self.t0 = None
    def before_train(self): self.t0 = self.t0 or time.perf_counter()
    def after_fit(self):
        if rank_distrib() == 0: json.dump(dict(secs=time.perf_counter() - self.t0), open(sys.argv[1], 'w'))
a = json.loads(sys.argv[2])
ballfast.run.train(a['task'], a['data'], out=a['out'], epochs=a['epochs'], bs=a['bs'], lr=float(a['lr']), seed=0, progress='lines', cbs=[Clock()])
"""

def run(script, clock, args, procs, env):
    "Run the training script in one process, or `procs` started by torchrun; its wall time"
    pre = [sys.executable] if procs == 1 else [sys.executable, '-m', 'torch.distributed.run', '--standalone', f'--nproc_per_node={procs}']
    t = time.perf_counter()
    r = subprocess.run([*pre, str(script), str(clock), json.dumps(args)], capture_output=True, text=True, env=env)
    if r.returncode: raise SystemExit(f'failed: {args}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}')
    return time.perf_counter() - t

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
    script = tmp/'run.py'; script.write_text(RUN)
    res = {'1 process': [], f'{a.procs} processes': []}
    for k in range(a.runs):
        for name, procs in [('1 process', 1), (f'{a.procs} processes', a.procs)]:
            out, clock = tmp/f'{procs}_{k}', tmp/f'clock_{procs}_{k}.json'
            wall = run(script, clock, dict(task=a.task, data=str(data), out=str(out), epochs=a.epochs, bs=a.bs, lr=a.lr), procs, env)
            info, secs = json.loads((out/f'{a.task}.json').read_text()), json.loads(clock.read_text())['secs']
            res[name].append(dict(wall_s=round(wall, 1), train_s=round(secs, 2), items_per_s=round(a.n * 0.9 * a.epochs / secs, 1),
                                  valid=info['metrics']['valid'], threads=info['settings']['threads'], processes=info['settings']['processes']))
            print(name, res[name][-1], flush=True)
    med = {k: statistics.median(r['items_per_s'] for r in v) for k, v in res.items()}
    summary = dict(task=a.task, n=a.n, epochs=a.epochs, total_bs=a.bs, lr=a.lr, runs=res, median_items_per_s=med,
                   ratio=round(med[f'{a.procs} processes'] / med['1 process'], 3), machine=machine_info())
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(summary, indent=1))
    print(json.dumps({k: summary[k] for k in ('median_items_per_s', 'ratio')}))
    shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': main()
