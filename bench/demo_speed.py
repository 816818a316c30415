"""Speed of the demo page (`ballfast demo`): its start-up time, and the latency of one request per section against the run layer.

Usage: python bench/demo_speed.py [--runs 5] [--starts 3] [--out bench/results/demo_speed.json]

Start-up: `ballfast demo --port P` in a fresh process, from its start to the first answer of its page (the examples already
cached, as from the second start on), median of --starts.
Latency, in one process, on the page's own examples: detect one image, forecast 10 steps, track a 19-frame GIF (10 steps).
Each is timed three ways, in turn, medians of --runs:
  client:    one request through Gradio's client to the page serving on 127.0.0.1 (upload, queue, prediction, drawing,
             JSON, the answer), what a user of the page waits for;
  direct:    the section's own function called in this process (models loaded once: the page's work without HTTP);
  run_layer: `ballfast.run.predict` + `draw` + the JSON on the same file, as `ballfast predict TASK FILE --json --draw` runs
             them (each call loads its model, as each command does).
"""
import argparse, json, os, platform, socket, statistics, subprocess, sys, tempfile, time, urllib.request, warnings
from json import dumps
from pathlib import Path
warnings.filterwarnings('ignore')
import torch
from ballfast.run import predict, draw, json_ready
from ballfast.distrib import machine_info
from ballfast.demo import demo_app, demo_examples, load_models, detect_request, forecast_request, track_request, gradio

def free_port():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def startup(n):
    "Seconds from starting `ballfast demo` to the first answer of its page, `n` times"
    out = []
    for _ in range(n):
        port, t = free_port(), time.perf_counter()
        p = subprocess.Popen([str(Path(sys.executable).parent/'ballfast'), 'demo', '--port', str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try: urllib.request.urlopen(f'http://127.0.0.1:{port}/', timeout=5).read(); break
                except OSError:
                    if p.poll() is not None: raise SystemExit('ballfast demo ended before serving')
                    time.sleep(0.05)
            out.append(time.perf_counter() - t)
        finally: p.terminate(); p.wait()
    return out

def timed(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--runs', type=int, default=5); p.add_argument('--starts', type=int, default=3)
    p.add_argument('--out', default='bench/results/demo_speed.json')
    a = p.parse_args()
    ex = demo_examples() # made once, as the page makes it
    start = startup(a.starts)
    t = time.perf_counter(); app = demo_app(); made = time.perf_counter() - t
    app.launch(server_port=free_port(), prevent_thread_lock=True, inline=False)
    from gradio_client import Client, handle_file
    client, pipe, work, tmp = Client(app.local_url, verbose=False), load_models()[0], Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    img, seq, gif = ex/'detect'/'img_00003.jpg', ex/'seq'/'seq_bb_00000.npy', ex/'track'/'clip_0.gif'
    def run_layer(task, f, **opts):
        res, items, names, _ = predict(task, [f], **opts); draw(task, items, res, names, tmp/task); dumps(json_ready(res))
    cases = dict(
        detect=dict(client=lambda: client.predict([handle_file(str(img))], api_name='/detect'), direct=lambda: detect_request(pipe, [img], work),
                    run_layer=lambda: run_layer('detect', img)),
        forecast=dict(client=lambda: client.predict([handle_file(str(seq))], 10, 0, False, api_name='/forecast'), direct=lambda: forecast_request(pipe, [seq], 10, 0, False, work),
                      run_layer=lambda: run_layer('forecast', seq, steps=10)),
        track=dict(client=lambda: client.predict([handle_file(str(gif))], 10, api_name='/track'), direct=lambda: track_request(pipe, [gif], 10, work),
                   run_layer=lambda: run_layer('track', gif, steps=10)))
    for c in cases.values():
        for f in c.values(): f() # warm up
    runs = {k: {w: [] for w in c} for k, c in cases.items()}
    for _ in range(a.runs):
        for k, c in cases.items():
            for w, f in c.items(): runs[k][w].append(timed(f))
    app.close(verbose=False)
    med = {k: {w: round(statistics.median(v), 3) for w, v in r.items()} for k, r in runs.items()}
    res = dict(**machine_info(),
               torch=torch.__version__, gradio=gradio().__version__, python=platform.python_version(),
               startup_s=dict(median=round(statistics.median(start), 2), runs=[round(s, 2) for s in start]), app_made_in_process_s=round(made, 2),
               latency_s=med, client_over_run_layer={k: round(m['client'] / m['run_layer'], 3) for k, m in med.items()},
               client_minus_direct_s={k: round(m['client'] - m['direct'], 3) for k, m in med.items()},
               runs={k: {w: [round(x, 4) for x in v] for w, v in r.items()} for k, r in runs.items()})
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1))
    print(json.dumps({k: res[k] for k in ('startup_s', 'latency_s', 'client_over_run_layer', 'client_minus_direct_s')}))

if __name__ == '__main__': main()
