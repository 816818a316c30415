"""How long the notebooks' tests take (`make test`'s nbdev_test step), in several settings side by side.

Usage: python bench/test_time.py [--variants threads2,threads1] [--baseline REV] [--runs 1] [--out bench/results/test_time.json]
Each variant runs nbdev_test over every notebook (2 workers, a fresh trust store), the variants alternating run after
run, and records the wall time, the seconds of each notebook and the machine. `--baseline REV` adds the notebooks of the
commit REV, from a git worktree, run as its own `make test` ran them (torch's default threads) with this environment,
its package first on the path:
- `threads2`: torch's threads left to their default (all the cores) in each of the two workers: before this benchmark;
- `threads1`: OMP_NUM_THREADS=1 (`make test`): one thread each;
- `avx2`: `threads1` with torch's kernels limited to AVX2 (ATEN_CPU_CAPABILITY=avx2, DNNL_MAX_CPU_ISA=AVX2): an emulation
  of an AVX2-only CPU on an AVX-512 one, the instructions only (not another CPU's clock, caches or memory).
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time
from pathlib import Path
from ballfast.distrib import machine_info

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = dict(threads2={}, threads1=dict(OMP_NUM_THREADS='1'),
                avx2=dict(OMP_NUM_THREADS='1', ATEN_CPU_CAPABILITY='avx2', DNNL_MAX_CPU_ISA='AVX2'))

def run_tests(env_extra, root=ROOT):
    env = {k: v for k, v in os.environ.items() if k not in ('OMP_NUM_THREADS', 'ATEN_CPU_CAPABILITY', 'DNNL_MAX_CPU_ISA', 'PYTHONPATH')}
    env |= env_extra | dict(BALLFAST_TRUST_STORE=str(Path(tempfile.mkdtemp())/'trusted_sha256'))
    if root != ROOT: env['PYTHONPATH'] = str(root) # that checkout's package, not the one installed in editable mode from this one
    t = time.time()
    r = subprocess.run([str(Path(sys.executable).parent/'nbdev_test'), '--n_workers', '2', '--timing'], cwd=root, env=env, capture_output=True, text=True)
    wall = time.time() - t
    if r.returncode: sys.exit(f'nbdev_test failed with {env_extra}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}')
    secs = {m.group(1): int(m.group(2)) for m in re.finditer(r'^(\S+\.ipynb): (\d+) secs$', r.stdout, re.M)}
    return dict(wall_s=round(wall, 1), notebooks=dict(sorted(secs.items(), key=lambda kv: -kv[1])))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--variants', default='threads2,threads1'); ap.add_argument('--runs', type=int, default=1); ap.add_argument('--baseline')
    ap.add_argument('--out', default='bench/results/test_time.json')
    a = ap.parse_args()
    names = a.variants.split(',')
    if bad := [v for v in names if v not in VARIANTS]: sys.exit(f'unknown variants {bad}: use {list(VARIANTS)}')
    roots = {v: ROOT for v in names}
    if a.baseline:
        wt = Path(tempfile.mkdtemp())/'baseline'
        subprocess.run(['git', 'worktree', 'add', '--detach', str(wt), a.baseline], cwd=ROOT, check=True, capture_output=True)
        names.insert(0, f'baseline {a.baseline}'); roots[names[0]] = wt; VARIANTS[names[0]] = {}
    runs = {v: [] for v in names}
    try:
        for i in range(a.runs):
            for v in names:
                runs[v].append(run_tests(VARIANTS[v], roots[v])); print(f'run {i + 1} {v}: {runs[v][-1]["wall_s"]} s', flush=True)
    finally:
        if a.baseline: subprocess.run(['git', 'worktree', 'remove', '--force', str(roots[names[0]])], cwd=ROOT, capture_output=True)
    res = dict(command='python bench/' + Path(__file__).name + ' ' + ' '.join(sys.argv[1:]), machine=machine_info(),
               wall_s={v: statistics.median(r['wall_s'] for r in rs) for v, rs in runs.items()}, runs=runs)
    res['machine'].pop('threads') # each variant sets its own
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1))
    print(json.dumps(res['wall_s']))

if __name__ == '__main__': main()
