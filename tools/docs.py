#!/usr/bin/env python
"""Build the documentation site in _docs/ from nbs/, offline and without re-executing the notebooks.

    tools/docs.py [--out _docs]

Each notebook goes through nbdev's own notebook processors, those `nbdev_docs` runs before Quarto (front matter, `#| hide`
and exported cells removed, a `show_doc` added after each exported definition and rendered: its signature, with the
documentation of each argument), then through nbconvert's HTML exporter with the template docs/templates/ballfast (nbconvert's lab
look, a sidebar of the pages in order, no script or stylesheet from the web). Only the cells `show_doc` needs are
run (exported cells, import-only cells, `show_doc` calls); every other cell shows the outputs committed with it.
A last page, the CLI reference, holds the `--help` of every `ballfast` command (and of each task's).
"""
import argparse, ast, contextlib, inspect, io, itertools, json, os, re, shutil, sys, time, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS, TEMPLATES = ROOT/'nbs', ROOT/'docs'/'templates'
CLI_PAGE = 'cli_reference.html'
_quarto_opt = re.compile(r'^\s*#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')

def notebooks():
    "The notebooks of the site in sidebar order: index, then by name"
    return sorted(NBS.glob('*.ipynb'), key=lambda p: (p.name != 'index.ipynb', p.name))

def page_name(fn):
    "The page of notebook `fn`, named as nbdev names it (`00_core.ipynb` -> `core.html`), so nbdev's doc links resolve"
    from nbdev.doclinks import _nbpath2html
    return _nbpath2html(Path(Path(fn).name)).name

def _imports_only(cell):
    trees = cell.parsed_()
    return bool(trees) and all(isinstance(t, (ast.Import, ast.ImportFrom)) for t in trees)

def _compares(o):
    try: bool(o != inspect.Parameter.empty); return True
    except Exception: return False

def _shown(o):
    "A stand-in for the default `o`, named and printed as `o`, that compares like any object"
    return type(type(o).__name__, (), dict(__repr__=lambda self: repr(o), __str__=lambda self: repr(o)))()

def safe_docments():
    "fastcore's docments breaks on an array default (`default != empty` has no truth value): show such defaults by their repr"
    import fastcore.docments as D
    if getattr(D.signature_ex, 'safe_', False): return
    orig = D.signature_ex
    def signature_ex(f, eval_str=False):
        sig = orig(f, eval_str=eval_str)
        return sig.replace(parameters=[p if _compares(p.default) else p.replace(default=_shown(p.default)) for p in sig.parameters.values()])
    signature_ex.safe_ = True
    D.signature_ex = signature_ex

def procs():
    "nbdev's documentation processors (nbdev.processors.FilterDefaults), with `exec_show_docs` running only what show_doc needs"
    from nbdev import processors as P
    from nbdev.frontmatter import FrontmatterProc
    class exec_doc_cells(P.exec_show_docs):
        "`exec_show_docs` without the cells it would run for holding an import among other code (tests, examples)"
        def __call__(self, cell):
            if not self.nb.has_docs_ or not hasattr(self, 'k') or cell.cell_type != 'code' or not cell.source: return
            d = cell.directives_
            if d.get('eval:', [''])[0].lower() == 'false': return
            if not (d.keys() & {'export', 'exports', 'exporti', 'exec_doc'} or _imports_only(cell) or P._show_docs(cell.parsed_() or [])): return
            self.k.cell(cell)
            if self.k.exc: raise RuntimeError(f'{self.nb.path_}: a cell show_doc needs failed:\n{cell.source}') from self.k.exc
    return [FrontmatterProc, P.populate_language, P.add_show_docs, P.strip_ansi, P.hide_line, P.filter_stream_, P.rm_header_dash,
            P.clean_show_doc, exec_doc_cells, P.rm_export, P.ai_magics, P.clean_magics, P.hide_, P.add_links, P.mv_exports,
            P.strip_hidden_metadata]

def quarto_opts(cell):
    "The Quarto options (`#| echo: false`) nbdev's processors leave at the top of `cell`, removed from its source"
    opts, lines = {}, cell.source.splitlines()
    while lines and (m := _quarto_opt.match(lines[0])): opts[m[1]] = m[2].strip('"\''); lines.pop(0)
    cell.source = '\n'.join(lines)
    return opts

IMG_EXT = {'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif'}

def extract_images(outputs, stem, out, count):
    "Images of `outputs` written to OUT/figures/STEM_N.EXT and shown by an <img> (pages stay small; the link check sees them)"
    import base64, html
    for o in outputs:
        kind = next((k for k in IMG_EXT if k in o.get('data', {})), None)
        if kind is None: continue
        fn = Path('figures')/f'{stem}_{next(count)}.{IMG_EXT[kind]}'
        (out/fn).write_bytes(base64.b64decode(''.join(o['data'][kind])))
        alt = html.escape(''.join(o['data'].get('text/plain', ['a figure'])).strip(), quote=True)
        o['data'] = {'text/html': f'<img class="bf-figure" src="{fn.as_posix()}" alt="{alt}">'}
        o['metadata'] = {}

_quarto_link = re.compile(r'\[([^\]]+)\]\(([^)\s]+)\)\{[^}]*\}')
_heading = re.compile(r'^(#{1,6}\s+)(.*)$', re.M)

def unquarto(md):
    "show_doc's markdown for nbconvert: its Quarto link attributes as HTML, underscores in headings literal (`__call__` is not bold)"
    md = _quarto_link.sub(lambda m: f'<a class="bf-source" href="{m[2]}">{m[1]}</a>', md)
    return _heading.sub(lambda m: m[1] + re.sub(r'(?<!\\)_', r'\_', m[2]), md)

def to_nbformat(nb, stem, out):
    "A processed notebook as nbformat's, with Quarto's cell options applied (include, echo, output), its images as files"
    import nbformat
    from execnb.nbio import nb2dict
    cells, count = [], itertools.count()
    for c in nb.cells:
        if c.cell_type == 'raw': continue # the front matter, shown as the page's header
        opts = quarto_opts(c) if c.cell_type == 'code' else {}
        if opts.get('include') == 'false': continue
        if opts.get('output') == 'false': c.outputs = []
        d = nb2dict(c)
        if c.cell_type == 'code' and not c.source.strip() and not c.get('outputs'): continue
        d['metadata'] = {'tags': ['remove_input']} if opts.get('echo') == 'false' or not c.source.strip() else {}
        extract_images(d.get('outputs', []), stem, out, count)
        for o in d.get('outputs', []):
            if 'text/markdown' in o.get('data', {}): o['data']['text/markdown'] = unquarto(''.join(o['data']['text/markdown']))
        cells.append(d)
    nbd = dict(nbformat=4, nbformat_minor=5, metadata={'language_info': {'name': 'python'}}, cells=cells)
    return nbformat.reads(json.dumps(nbd), as_version=4) # joins the lines of sources and outputs

def exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {'remove_input'}
    c.HTMLExporter.exclude_input_prompt = c.HTMLExporter.exclude_output_prompt = True # as nbdev's pages: no `In [ ]:`
    return HTMLExporter(config=c, template_name='ballfast', extra_template_basedirs=[str(TEMPLATES)])

def site_prefix():
    from nbdev.config import get_config
    cfg = get_config()
    return f"{cfg.doc_host.rstrip('/')}{cfg.doc_baseurl.rstrip('/')}/"

def add_anchors(html):
    "nbdev's doc links spell a heading's anchor in lower case (`#learner.show_results`), nbconvert keeps its case: add the lower-case one"
    ids = set(re.findall(r' id="([^"]+)"', html))
    def anchor(m):
        low = m[2].lower()
        return m[0] if low in ids else f'{m[0]}<span id="{low}"></span>'
    return re.sub(r'<h([1-6]) id="([^"]+)">', anchor, html)

_sym_link = re.compile(r'<a href="([^"#]*)#([^"]*)"><code>')

def fix_links(html, names, ids):
    """Links between pages made relative (`xx.ipynb` -> its page, nbdev's absolute doc links -> the page); nbdev's links to a
    symbol without a heading (a private or dispatched one: show_doc shows neither) point to its page"""
    site = site_prefix()
    def link(m):
        h = m[1][len(site):] if m[1].startswith(site) else m[1]
        path, sep, frag = h.partition('#')
        if not re.match(r'^[a-z]+:', path) and path.endswith('.ipynb'): path = names.get(Path(path).name, path)
        return f'href="{path}{sep}{frag}"'
    html = re.sub(r'href="([^"]*)"', link, html)
    html = re.sub(r'src="(?:nbs/)?images/', 'src="images/', html) # README's pictures (nbs/images/x.png) are the site's images/x.png
    return _sym_link.sub(lambda m: m[0] if m[2] in ids.get(m[1], {m[2]}) else f'<a href="{m[1]}"><code>', html)

def cli_help(argv):
    "What `ballfast ARGV` prints"
    from ballfast.cli import main
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out): main(argv)
    return out.getvalue()

def cli_notebook():
    "The CLI reference as a notebook: each command's `--help`, and each task's for the commands that take one"
    from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell, new_output
    from ballfast.cli import COMMANDS
    from ballfast.task import TASKS, Pipeline, get_task
    from fastcore.docments import docments
    def is_pipeline(t): return isinstance(get_task(t), Pipeline) # `train` and `hp` refuse pipelines, which have no training defaults
    os.environ['COLUMNS'] = '100' # argparse wraps help to the terminal: the same width on every machine
    def help_cell(argv): return new_code_cell('ballfast ' + ' '.join(argv), outputs=[new_output('stream', name='stdout', text=cli_help(argv))])
    cells = [new_markdown_cell('Every command of the `ballfast` console script with what its `--help` prints (generated by `make docs` '
                               'from `ballfast.cli`). A command that takes a task shows that task\'s defaults when the task is named: '
                               'they follow.'), help_cell(['--help'])]
    for path, f in COMMANDS.items():
        cells += [new_markdown_cell(f'## ballfast {" ".join(path)}'), help_cell([*path, '--help'])]
        if 'task' in docments(f): cells += [help_cell([*path, t, '--help']) for t in TASKS if not (f.task_defaults and is_pipeline(t))]
    return new_notebook(cells=cells, metadata={'language_info': {'name': 'bash'}})

def page_info(fn):
    "Title and description of notebook `fn`, from its H1 and `>` line as nbdev reads them"
    from nbdev.process import NBProcessor
    from nbdev.frontmatter import FrontmatterProc
    fm = getattr(NBProcessor(fn, procs=FrontmatterProc, process=True).nb, 'frontmatter_', {})
    return fm.get('title', fn.stem), fm.get('description', '')

def inline_md(text):
    "A one-line description as HTML: escaped, its `code` spans as <code>"
    import html
    return re.sub(r'`([^`]+)`', r'<code>\1</code>', html.escape(text))

def build(out):
    from execnb.nbio import read_nb
    from nbdev.process import NBProcessor
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out/'lab.css').exists(): sys.exit(f'{out}: not empty and not a site this script built: not replaced')
    if out.exists(): shutil.rmtree(out)
    (out/'figures').mkdir(parents=True)
    safe_docments()
    fns = notebooks()
    names = {fn.name: page_name(fn) for fn in fns}
    info = {fn: page_info(fn) for fn in fns}
    pages = [dict(href=names[fn.name], title=info[fn][0]) for fn in fns] + [dict(href=CLI_PAGE, title='CLI reference')]
    title, exp, htmls = info[fns[0]][0], exporter(), {}
    def render(nbnode, href, page_title, desc):
        site = dict(title=title, pages=pages, current=href, page_title=page_title, description=inline_md(desc),
                    page_id=re.sub(r'\W+', '-', page_title.lower()).strip('-'))
        htmls[href] = add_anchors(exp.from_notebook_node(nbnode, resources=dict(site=site, metadata=dict(name=f'{page_title} - {title}')))[0])
    for fn in fns:
        t = time.time()
        nb = read_nb(fn)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            NBProcessor(nb=nb, procs=procs(), rm_directives=True).process()
        render(to_nbformat(nb, Path(names[fn.name]).stem, out), names[fn.name], *info[fn])
        print(f'  {fn.name} -> {names[fn.name]} ({time.time()-t:.1f} s)', flush=True)
    render(cli_notebook(), CLI_PAGE, 'CLI reference', 'Every ballfast command and its options')
    ids = {href: set(re.findall(r' id="([^"]+)"', h)) for href, h in htmls.items()}
    for href, h in htmls.items(): (out/href).write_text(fix_links(h, names, ids), encoding='utf-8')
    write_css(out)
    if (NBS/'images').is_dir(): shutil.copytree(NBS/'images', out/'images') # the pictures the prose shows
    return out

def write_css(out):
    "nbconvert's lab stylesheets, once for all pages, and the site's"
    lab = [p for p in map(Path, exporter().template_paths) if (p/'static'/'index.css').exists() and p.name == 'lab']
    static = lab[0]/'static'
    (out/'lab.css').write_text((static/'index.css').read_text() + '\n' + (static/'theme-light.css').read_text(), encoding='utf-8')
    shutil.copy(ROOT/'docs'/'site.css', out/'site.css')

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default=str(ROOT/'_docs'), help='the folder of the site (replaced)')
    a = p.parse_args()
    os.chdir(ROOT)
    t = time.time()
    out = build(a.out)
    n = sum(f.stat().st_size for f in out.rglob('*') if f.is_file())
    print(f'{out}/index.html: {len(list(out.glob("*.html")))} pages, {n:,} bytes, built in {time.time()-t:.1f} s', flush=True)
    os._exit(0) # the shells and torch take seconds to tear down, for nothing

if __name__ == '__main__': sys.exit(main())
