"""How steady `lr_find`'s suggestions are for the default detector: fastai's four suggestions for a few seeds.

Usage: python bench/lr_find_seeds.py [--seeds 0,1] [--out bench/results/lr_find_seeds.json]
On the default training set (21000 images, the default split), a fresh default detector per seed, `lr_find` (100 iterations)
with fastai's `minimum`, `steep`, `valley` and `slide` suggestions. ballfast trains with `valley`, bounded per architecture
(`Task.max_lr`: 6e-3 for the default detector) because it moves this much from seed to seed.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, tempfile, warnings
from pathlib import Path
warnings.filterwarnings('ignore')
from fastai.vision.all import set_seed, minimum, steep, valley, slide
from ballfast.detect import detect_dls, detect_learner
from ballfast.data import read_detect
from ballfast.synth import default_data
from ballfast.distrib import machine_info

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--seeds', default='0,1'); p.add_argument('--out', default='bench/results/lr_find_seeds.json')
    a = p.parse_args()
    dd, res = read_detect(default_data('detect')), {}
    for seed in map(int, a.seeds.split(',')):
        set_seed(seed, reproducible=True)
        learn = detect_learner(detect_dls(dd, bs=64), path=tempfile.mkdtemp())
        with learn.no_logging(), learn.no_bar(): s = learn.lr_find(suggest_funcs=(minimum, steep, valley, slide), show_plot=False)
        res[f'seed {seed}'] = {k: float(f'{v:.3g}') for k, v in s._asdict().items()}
    out = dict(machine=machine_info(), suggestions=res)
    Path(a.out).write_text(json.dumps(out, indent=1)); print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
