"""The forecasters a user could pick instead, trained on the same data for the same epochs, with the same metrics.

Usage: python bench/forecast_peers.py [--default runs/models/forecast] [--out bench/results/forecast_peers.json] [--peers lstm,seed]
- `lstm`: the course's other approach, an LSTM over the past steps (`--arch lstm`), with the default's recipe
  (10-step rollout training, input noise, decaying loss weights: bench/recipes/forecast_rollout.json);
- `seed`: the original report's MLP and loss (`--arch seed`), trained one step ahead as the report did;
each by `ballfast train forecast` on the default set for the default number of epochs, its wall time measured; beside the
run folder `--default` (`ballfast train forecast`, the default interaction network) and the baselines. Reported per model:
the test set (2000 sequences, predicting step 19) and rollouts on the 30-step test sequences at +1, +5, +10 steps.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, subprocess, sys, tempfile, time, shutil
from pathlib import Path
from ballfast.distrib import machine_info

PEERS = dict(lstm=['--arch', 'lstm', '--hp', 'bench/recipes/forecast_rollout.json'], seed=['--arch', 'seed'])

def row(info, wall=None):
    t, r = info['metrics']['test'], info['metrics']['test30']
    return dict(command=info['command'], wall_s=wall, center_err_px=t['center_err_px'], mse_px2=t['mse_px2'],
                collision=t['collision']['center_err_px'], rollout=r['rollout']['model'])

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--default', default='runs/models/forecast'); p.add_argument('--out', default='bench/results/forecast_peers.json')
    p.add_argument('--peers', default='lstm,seed')
    a = p.parse_args()
    info = json.loads((Path(a.default)/'forecast.json').read_text())
    res = dict(default=row(info)); t, r = info['metrics']['test'], info['metrics']['test30']
    for k, v in t['baselines'].items(): res[k] = dict(center_err_px=v['center_err_px'], mse_px2=v['mse_px2'], collision=v['collision']['center_err_px'], rollout=r['rollout'][k])
    for name in a.peers.split(','):
        out = Path(tempfile.mkdtemp())/name
        t0 = time.perf_counter()
        pr = subprocess.run([sys.executable, '-m', 'ballfast.cli', 'train', 'forecast', '--out', str(out), *PEERS[name]], capture_output=True, text=True)
        if pr.returncode: raise SystemExit(f'{name} failed:\n{pr.stdout[-3000:]}\n{pr.stderr[-3000:]}')
        res[name] = row(json.loads((out/'forecast.json').read_text()), round(time.perf_counter() - t0, 1))
        print(name, json.dumps(res[name]), flush=True)
        shutil.rmtree(out.parent, ignore_errors=True)
    for v in res.values(): v['ratio_to_default'] = round(v['center_err_px'] / res['default']['center_err_px'], 3)
    res = dict(machine=machine_info()) | res
    Path(a.out).write_text(json.dumps(res, indent=1)); print(json.dumps(res, indent=1))

if __name__ == '__main__': main()
