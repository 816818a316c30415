#!/usr/bin/env python
"""Re-execute notebooks in place with the current code, as `nbdev_test` runs them, and keep their outputs honest.

    tools/run_nbs.py [--flags slow] NB...   run each notebook, write its outputs, `nbdev_clean` it, record it in nbs/outputs.json
    tools/run_nbs.py --check                fail when a notebook's outputs are stale, not made by this script, or too large

Each notebook runs in a fresh process with execnb (nbdev's executor), in `nbs/`, with IN_TEST=1 and a trust store of
its own (BALLFAST_TRUST_STORE in a temp dir), skipping the cells `nbdev_test` skips: `#| eval: false`, `nbdev_export()`
calls and the flags of settings.ini's `tst_flags` (unless forced with --flags). Skipped cells are left without outputs.
The first failing cell stops the run, naming the notebook and the cell; that notebook is then left as it was.
Figures are PNGs at DPI dots per inch (or a figure's own dpi when lower; not retina); a notebook whose outputs exceed NB_CAP, or nbs/ beyond NBS_CAP, fails.
In text outputs, progress bars keep their last drawing, the repository's paths are relative and temporary folders read
/tmp/tmpXXXXXXXX, so that a rerun changes only what the code changed; torch's `torch.jit.script` deprecation warning
(printed when fastai is imported) is silenced.
"""
import argparse, contextlib, copy, hashlib, json, os, re, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
MANIFEST = NBS/'outputs.json'
DPI = 72                   # figures' resolution: matplotlib's 100 dpi would make every figure ~2x the bytes
NB_CAP = 600_000           # bytes of outputs (as stored in the .ipynb) a notebook may hold
NBS_CAP = 5_000_000        # bytes of the whole nbs/ folder
WARN_IMG = 150_000         # a single image over this is named (base64 bytes)

def code_cells(nb): return [c for c in nb['cells'] if c['cell_type'] == 'code']
def src(c): return c['source'] if isinstance(c['source'], str) else ''.join(c['source'])
def sha(o): return hashlib.sha256(json.dumps(o, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
def src_hash(nb, flags): return sha([[src(c) for c in code_cells(nb)], sorted(flags)])
def out_hash(nb): return sha([c.get('outputs', []) for c in code_cells(nb)])
def out_bytes(nb): return len(json.dumps([c.get('outputs', []) for c in code_cells(nb)], indent=1))
def has_outputs(nb): return any(c.get('outputs') for c in code_cells(nb))
def read_json(p): return json.loads(Path(p).read_text(encoding='utf-8'))
def read_manifest(): return read_json(MANIFEST) if MANIFEST.exists() else {}
def rel(p): return Path(p).resolve().relative_to(ROOT).as_posix()

def write_atomic(p, text):
    tmp = Path(p).with_name(f'.{Path(p).name}.tmp')
    tmp.write_text(text, encoding='utf-8'); os.replace(tmp, p)

@contextlib.contextmanager
def manifest_lock():
    "Two `make nbs` at once (in the same checkout) update the manifest in turn"
    import fcntl
    lock = Path(tempfile.gettempdir())/f'ballfast-nbs-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]}.lock'
    with open(lock, 'a') as fd:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try: yield
        finally: fcntl.flock(fd, fcntl.LOCK_UN)

def skip_flags(force):
    from nbdev.config import get_config
    return set(get_config().tst_flags.split()) - set(force)

def lines(text): return [l for l in re.split(r'(?<=\n)', text) if l] # nbformat's lines: split after each newline only

def strip_cr(text):
    "A stream's text as a terminal shows it: of each line redrawn with carriage returns (progress bars), the last drawing"
    return '\n'.join(l.rstrip('\r').rsplit('\r', 1)[-1] for l in text.split('\n'))

_tmp_re = re.compile(re.escape(tempfile.gettempdir()) + r'/tmp[a-z0-9_]{8}\b')

def unlocal(text):
    "`text` without this machine's paths: the repository's as relative paths, temporary folders as tmpXXXXXXXX (reruns don't churn)"
    return _tmp_re.sub(tempfile.gettempdir() + '/tmpXXXXXXXX', text.replace(str(ROOT) + '/', ''))

def tidy(outs):
    "Outputs as a reader's notebook shows them (progress bars at their last drawing), without this machine's paths"
    for o in outs:
        if o['output_type'] == 'stream': o['text'] = [l for l in lines(unlocal(strip_cr(''.join(o['text'])))) if l.strip()] # a bar's last drawing can be blank
        for k, v in o.get('data', {}).items():
            if k.startswith('text/'): o['data'][k] = lines(unlocal(''.join(v)))
    return [o for o in outs if o['output_type'] != 'stream' or o['text']]

def small_png(shell):
    "Figures shown as PNGs at DPI dots per inch, or the figure's own dpi when lower (not retina's double)"
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure
    shell.display_formatter.formatters['image/png'].for_type(Figure, lambda fig: print_figure(fig, 'png', base64=True, dpi=min(fig.dpi, DPI)))

def execute(fn, flags):
    "Run notebook `fn` like nbdev's `test_nb` and write it back with its outputs; exit status 1 naming the failing cell"
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    from nbdev.process import NBProcessor, extract_directives
    from nbdev.frontmatter import FrontmatterProc
    from nbdev.config import get_config
    os.environ['IN_TEST'] = '1'
    sys.path.insert(0, str(get_config().config_path))
    fm = getattr(NBProcessor(fn, procs=FrontmatterProc, process=True).nb, 'frontmatter_', {})
    if str(fm.get('skip_exec', '')).lower() in ('true', '1', 'yes'): return print(f'{rel(fn)}: skip_exec, not run')
    nb, skip = read_nb(fn), skip_flags(flags)
    shell = CaptureShell(fn, mpl_format='png')
    small_png(shell)
    shell.run("import warnings; warnings.filterwarnings('ignore', message='`torch.jit.script` is deprecated')") # fastai's import, every notebook
    os.chdir(fn.parent)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != 'code': continue
        run = copy.deepcopy(cell)
        direc = extract_directives(run, remove=True)
        no_eval = ('nbdev_export'+'(' in run.source or direc.get('eval:', [''])[0].lower() == 'false' or skip & direc.keys())
        shell._cell_idx = i + 1
        cell.outputs = [] if no_eval else tidy(shell.run(run.source))
        if shell.exc and not no_eval:
            sl = cell.source.splitlines()
            print(f'{rel(fn)}: cell #{i+1} (id {cell.get("id")}) failed; its first lines:\n    ' + '\n    '.join(sl[:4]) +
                  ('\n    ...' if len(sl) > 4 else '') + '\n' + shell.prettytb(fname=rel(fn)), file=sys.stderr)
            sys.exit(1)
    tmp = fn.with_name(f'.{fn.name}.tmp')
    write_nb(nb, tmp); os.replace(tmp, fn)

def record(fn, flags, man):
    "Clean `fn` with nbdev_clean, then record its source and output hashes in the manifest; problems with its size"
    subprocess.run([str(Path(sys.executable).parent/'nbdev_clean'), '--fname', str(fn)], cwd=ROOT, check=True)
    nb = read_json(fn)
    man[fn.name] = dict(sources=src_hash(nb, flags), outputs=out_hash(nb), flags=sorted(flags), bytes=out_bytes(nb))
    return size_problems(fn.name, nb)

def size_problems(name, nb):
    res = [f'nbs/{name}: its outputs take {out_bytes(nb):,} bytes, over the {NB_CAP:,} allowed: make figures smaller (figsize, fewer items)']
    res = res if out_bytes(nb) > NB_CAP else []
    for i, c in enumerate(nb['cells']):
        for o in c.get('outputs', []):
            for k, v in o.get('data', {}).items():
                n = len(''.join(v)) if k.startswith('image/') else 0
                if n > WARN_IMG: print(f'warning: nbs/{name} cell #{i+1}: a {k} of {n:,} bytes (over {WARN_IMG:,})', file=sys.stderr)
    return res

def nbs_size(): return sum(p.stat().st_size for p in NBS.rglob('*') if p.is_file() and '.ipynb_checkpoints' not in p.parts)

def total_problems():
    n = nbs_size()
    return [f'nbs/ takes {n:,} bytes, over the {NBS_CAP:,} allowed'] if n > NBS_CAP else []

def check():
    "Problems of the committed outputs: stale, not made by this script, too large; [] when all is well"
    man, probs = read_manifest(), []
    for fn in sorted(NBS.glob('*.ipynb')):
        nb, e = read_json(fn), man.get(fn.name)
        if e is None:
            if has_outputs(nb): probs.append(f'nbs/{fn.name} has outputs that `make nbs` did not make: run make nbs NBS=nbs/{fn.name}')
            continue
        if src_hash(nb, e['flags']) != e['sources']: probs.append(f'nbs/{fn.name} changed since its outputs were made: run make nbs NBS=nbs/{fn.name}')
        elif out_hash(nb) != e['outputs']: probs.append(f'nbs/{fn.name}: its outputs are not those `make nbs` wrote: run make nbs NBS=nbs/{fn.name}')
        probs += size_problems(fn.name, nb)
    probs += [f'nbs/outputs.json lists {k}, which is not in nbs/: remove its entry (or run make nbs)' for k in man if not (NBS/k).exists()]
    return probs + total_problems()

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('nbs', nargs='*', help='notebooks to run (default: every notebook in nbs/)')
    p.add_argument('--flags', default='', help='space separated flags of cells to run that nbdev_test skips (e.g. slow)')
    p.add_argument('--check', action='store_true', help='only check the committed outputs (stale, foreign, too large)')
    p.add_argument('--one', help=argparse.SUPPRESS)
    a = p.parse_args()
    flags = set(a.flags.split())
    if a.one: return execute(Path(a.one).resolve(), flags)
    if a.check:
        probs = check()
        print('\n'.join(probs) if probs else f'notebook outputs: up to date, {nbs_size():,} bytes in nbs/ (cap {NBS_CAP:,})')
        return 1 if probs else 0
    fns = [Path(f).resolve() for f in a.nbs] or sorted(NBS.glob('*.ipynb'))
    for f in fns:
        if f.suffix != '.ipynb' or f.parent != NBS or not f.exists(): p.error(f'{f}: not a notebook in {rel(NBS)}/')
    with tempfile.TemporaryDirectory(prefix='ballfast-nbs-') as d: # the tests' own trust store, as in `make test`
        env, probs = dict(os.environ, BALLFAST_TRUST_STORE=str(Path(d)/'trusted_sha256')), []
        for f in fns:
            print(f'running {rel(f)}', flush=True)
            r = subprocess.run([sys.executable, __file__, '--one', str(f), '--flags', a.flags], env=env, cwd=ROOT)
            if r.returncode: return print(f'make nbs: stopped at {rel(f)} (left as it was)', file=sys.stderr) or 1
            with manifest_lock():
                man = read_manifest()
                probs += record(f, flags, man)
                write_atomic(MANIFEST, json.dumps(dict(sorted(man.items())), indent=1) + '\n')
            print(f'  {rel(f)}: outputs {man[f.name]["bytes"]:,} bytes', flush=True)
    probs += total_problems()
    if probs: print('\n'.join(probs), file=sys.stderr)
    return 1 if probs else 0

if __name__ == '__main__': sys.exit(main())
