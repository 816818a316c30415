"""Data benchmarks: synthetic generation speed and folder load time.

Usage: python bench/data_speed.py [--n-detect 21000] [--n-seq 7000] [--runs 3] [--out bench/results/data_speed.json]
Generates the default-size sets into a temporary folder (the whole run, both cores), then reads the
detect folder `runs` times (decoding every JPEG and checking every file: there is no cache), and times a plain
PIL + numpy loop over the same files, one process, no checks, as the baseline; runs alternate.
The machine (CPU model, torch's CPU capability, cores, threads) is recorded with the results.
"""
import argparse, json, shutil, statistics, tempfile, time
from pathlib import Path
import numpy as np
from PIL import Image
from ballfast.synth import make_data
from ballfast.data import read_detect, read_seq
from ballfast.distrib import machine_info

def timed(f):
    t = time.perf_counter(); r = f(); return time.perf_counter() - t, r

def plain_load(path, n):
    "Baseline: decode images and load arrays in a loop, no checks"
    imgs = np.stack([np.asarray(Image.open(path/f'img_{i:05d}.jpg')) for i in range(n)])
    bbs = np.stack([np.load(path/f'p_bb_{i:05d}.npy') for i in range(n)])
    return imgs, bbs

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n-detect', type=int, default=21000); p.add_argument('--n-seq', type=int, default=7000)
    p.add_argument('--runs', type=int, default=3); p.add_argument('--out', default='bench/results/data_speed.json')
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        t_det, _ = timed(lambda: make_data('detect', tmp/'det', n=a.n_detect, progress=False))
        t_seq, _ = timed(lambda: make_data('seq', tmp/'seq', n=a.n_seq, progress=False))
        read, plain, seq = [], [], []
        for _ in range(a.runs):
            read.append(timed(lambda: read_detect(tmp/'det'))[0])
            plain.append(timed(lambda: plain_load(tmp/'det', a.n_detect))[0])
            seq.append(timed(lambda: read_seq(tmp/'seq'))[0])
        med = statistics.median
        res = dict(machine=machine_info(), n_detect=a.n_detect, n_seq=a.n_seq,
                   gen_detect_s=round(t_det, 1), gen_detect_img_per_s=round(a.n_detect/t_det), gen_seq_s=round(t_seq, 1),
                   gen_seq_per_s=round(a.n_seq/t_seq), gen_total_s=round(t_det+t_seq, 1),
                   read_s_median=round(med(read), 2), plain_loop_s_median=round(med(plain), 2),
                   plain_over_read=round(med(plain)/med(read), 2), read_seq_s_median=round(med(seq), 2), runs=a.runs)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))

if __name__ == '__main__': main()
