#!/usr/bin/env python
"""Run README.md's examples as a reader pasting them would.

    tools/readme_examples.py [README.md]

Each ```python block runs as it is, alone, in a fresh `python` process (this environment's) whose working directory is a
new empty temp dir, with a trust store of its own (BALLFAST_TRUST_STORE): it must exit with status 0. A block whose first
line is `#| eval: false` (the mark nbdev_test also skips) is not run. In the ```sh blocks, every command line starting
with `ballfast` (or running `-m ballfast.cli`) must parse: the command exists, its arguments are accepted by its parser,
and a task named is a task (nothing is run: training commands would take minutes).
"""
import os, re, shlex, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_block = re.compile(r'^```(\w*)\n(.*?)^```', re.M | re.S)

def blocks(md, lang):
    "(line number, source) of each fenced block of `lang` in the markdown `md`"
    return [(md[:m.start()].count('\n') + 1, m[2]) for m in _block.finditer(md) if m[1] == lang]

def run_python(src, timeout=300):
    "Problem of running `src` in a fresh process in an empty temp dir, or None"
    with tempfile.TemporaryDirectory(prefix='ballfast-readme-') as d:
        env = dict(os.environ, BALLFAST_TRUST_STORE=str(Path(d)/'trusted_sha256'), PYTHONPATH='')
        (Path(d)/'example.py').write_text(src)
        try: r = subprocess.run([sys.executable, 'example.py'], cwd=d, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired: return f'did not finish in {timeout} s'
        return None if r.returncode == 0 else f'exit status {r.returncode}:\n' + '\n'.join(r.stderr.strip().splitlines()[-8:])

def ballfast_argv(line):
    "The arguments after `ballfast` (or `-m ballfast.cli`) on a shell line, or None when it runs something else"
    words = shlex.split(line, comments=True)
    if words[:1] == ['ballfast']: return words[1:]
    for i in range(len(words) - 1):
        if words[i:i+2] == ['-m', 'ballfast.cli']: return words[i+2:]

def parse_problem(argv):
    "Why the `ballfast` command line `argv` would not parse, or None (parsed in this process, nothing run)"
    from ballfast import cli
    from ballfast.task import TASKS
    argv = [cli._norm(a) for a in argv]
    if argv[:1] == ['--version']: return None
    path = cli._route(argv)
    if path is None: return 'no such command'
    f, rest = cli.COMMANDS[path], argv[len(path):]
    if {'-h', '--help'} & set(rest): return None # help is always there
    err = []
    p = cli.parser(f, 'ballfast ' + ' '.join(path))
    p.error = lambda msg: (err.append(msg), sys.exit(2))
    try: args = vars(p.parse_args(rest))
    except SystemExit: return err[0] if err else 'exits while parsing'
    if 'task' in args and args['task'] not in TASKS: return f'{args["task"]!r} is not a task ({", ".join(TASKS)})'

def main():
    fn = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT/'README.md')
    md, probs, n_py, n_sh, t = fn.read_text(encoding='utf-8'), [], 0, 0, time.time()
    for ln, src in blocks(md, 'python'):
        if src.lstrip().startswith('#| eval: false'): print(f'{fn.name}:{ln}: python block not run (#| eval: false)'); continue
        t0 = time.time()
        if (p := run_python(src)): probs.append(f'{fn.name}:{ln}: the python block fails: {p}')
        else: print(f'{fn.name}:{ln}: python block ran ({time.time()-t0:.1f} s)')
        n_py += 1
    for ln, src in blocks(md, 'sh'):
        for i, line in enumerate(src.splitlines()):
            if (argv := ballfast_argv(line)) is None: continue
            n_sh += 1
            if (p := parse_problem(argv)): probs.append(f'{fn.name}:{ln + 1 + i}: {line.split("#")[0].strip()}: {p}')
    print(f'{fn.name}: {n_py} python blocks run, {n_sh} ballfast command lines parsed, {len(probs)} problems ({time.time()-t:.0f} s)')
    if probs: print('\n'.join(probs), file=sys.stderr)
    return 1 if probs else 0

if __name__ == '__main__': sys.exit(main())
