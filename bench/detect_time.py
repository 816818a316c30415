"""Time to accuracy of the default detector: today's recipe against the previous one, in one run, data generation included.

Usage: python bench/detect_time.py [--out bench/results/detect_time.json] [--new-out runs/models/detect] [--recipes landed,new,old] [--landed 10526b9]
Each recipe runs `ballfast train detect` as `make train` does, with an empty fastai data folder (a fresh FASTAI_HOME), so its
wall time includes generating the 21000 training and 3000 test images, reading them, lr_find, the epochs and the test
evaluation. The previous recipe (ballfast before this benchmark) is 14 epochs, the detector's weights in PyTorch's default
memory layout and no sub-cell offsets: `ballfast train detect --epochs 14 --hp bench/recipes/detect_2026-11.json`.
The landed code (`--landed`, the last commit that landed before this work: its own `ballfast train detect`, 14 epochs, with
the data cache and JPEG reading of that time) runs from a git worktree of that commit with this environment's Python.
Reported: wall time, the seconds of the epochs (from history.csv), and the test metrics, per recipe; and the ratio of wall times.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, os, subprocess, sys, tempfile, time, shutil
from pathlib import Path
import pandas as pd
from ballfast.distrib import machine_info

RECIPES = dict(landed=[], new=[], old=['--epochs', '14', '--hp', 'bench/recipes/detect_2026-11.json'])

def secs(t): return sum(int(x) * 60 ** i for i, x in enumerate(reversed(t.split(':'))))

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default='bench/results/detect_time.json'); p.add_argument('--new-out', default='runs/models/detect')
    p.add_argument('--recipes', default='landed,new,old'); p.add_argument('--landed', default='10526b9')
    a = p.parse_args()
    res = dict(machine=machine_info())
    for name in a.recipes.split(','):
        home = Path(tempfile.mkdtemp()); out = Path(a.new_out) if name == 'new' else home/'run'
        if out.exists(): shutil.rmtree(out)
        env = os.environ | dict(FASTAI_HOME=str(home/'fastai'))
        if name == 'landed':
            subprocess.run(['git', 'worktree', 'add', '--detach', str(home/'src'), a.landed], check=True, capture_output=True)
            env['PYTHONPATH'] = str(home/'src')
        t = time.perf_counter()
        cli = ['-c', 'import sys; from ballfast.cli import main; sys.exit(main())'] if name == 'landed' else ['-m', 'ballfast.cli'] # its CLI was only a console script
        r = subprocess.run([sys.executable, *cli, 'train', 'detect', '--out', str(out), *RECIPES[name]], capture_output=True, text=True, env=env,
                           cwd=home/'src' if name == 'landed' else None)
        wall = time.perf_counter() - t
        if r.returncode: raise SystemExit(f'{name} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}')
        info = json.loads((out/'detect.json').read_text())
        hist = pd.read_csv(out/'history.csv')
        res[name] = dict(command='ballfast train detect ' + ' '.join(RECIPES[name]), wall_s=round(wall, 1), epochs=len(hist),
                         epoch_s=int(hist['time'].map(secs).sum()), lr=info['settings'].get('lr_used'), test=info['metrics']['test'], valid=info['metrics'].get('valid'))
        if name == 'landed':
            res[name]['commit'] = a.landed
            subprocess.run(['git', 'worktree', 'remove', '--force', str(home/'src')], capture_output=True)
        print(name, json.dumps(res[name]), flush=True)
        shutil.rmtree(home, ignore_errors=True)
    if {'new', 'old'} <= set(res): res['wall_ratio_new_old'] = round(res['new']['wall_s'] / res['old']['wall_s'], 3)
    if {'new', 'landed'} <= set(res): res['wall_ratio_new_landed'] = round(res['new']['wall_s'] / res['landed']['wall_s'], 3)
    Path(a.out).write_text(json.dumps(res, indent=1))

if __name__ == '__main__': main()
