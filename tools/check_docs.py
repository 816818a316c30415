#!/usr/bin/env python
"""Check a built documentation site: links, images, and two pages in a real browser.

    tools/check_docs.py SITE [--shots DIR] [--pages index.html detect.html]

1. Every page's links and resources resolve: each relative `href`/`src` names a file of the site and, with a
   `#fragment`, an id in that page; nothing is loaded from elsewhere (a `src`, a stylesheet or a CSS `url()` outside the
   site fails; links to other sites are only links). Every page is in the sidebar, and every notebook has its page.
2. Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) opens the pages given (default: the home page and
   the detection tutorial) from a server on 127.0.0.1: no console error, no page error, every image decoded, the sidebar
   there, and no request leaves the loopback (others are blocked and listed). A screenshot of each goes to DIR (a temp
   dir by default), its path printed. Without Chromium or Playwright, one line says the browser check was skipped and why.
"""
import argparse, functools, http.server, os, re, shutil, sys, tempfile, threading
from pathlib import Path
from urllib.parse import urlsplit, unquote

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
_attr = re.compile(r'<(a|img|link|script|source|iframe)\b[^>]*?\s(href|src)="([^"]*)"', re.I)
_id = re.compile(r'\sid="([^"]+)"')
_css_url = re.compile(r'url\(\s*[\'"]?([^)\'"]+)')

def ids(page): return set(_id.findall(page.read_text(encoding='utf-8')))

def link_problems(site):
    "Problems with the links and resources of the site's pages, one line each"
    site, probs, cache = Path(site), [], {}
    pages = sorted(site.glob('*.html'))
    if not pages: return [f'{site}: no page']
    for page in pages:
        html = page.read_text(encoding='utf-8')
        for tag, attr, url in _attr.findall(html):
            u = urlsplit(url)
            if u.scheme in ('http', 'https') or url.startswith('//'):
                if tag.lower() != 'a': probs.append(f'{page.name}: <{tag} {attr}="{url}"> loads from another site')
                continue
            if u.scheme in ('data', 'mailto') or (u.scheme == '' and u.path == '' and u.fragment == ''): continue
            if u.scheme: probs.append(f'{page.name}: {url}: a {u.scheme}: link'); continue
            target = (page.parent/unquote(u.path)).resolve() if u.path else page.resolve()
            if not target.is_file() or site.resolve() not in target.parents: probs.append(f'{page.name}: {url}: no such file in the site'); continue
            if u.fragment and target.suffix == '.html':
                if target not in cache: cache[target] = ids(target)
                if unquote(u.fragment) not in cache[target]: probs.append(f'{page.name}: {url}: no id "{u.fragment}" in {target.name}')
    for css in site.glob('*.css'):
        for url in _css_url.findall(css.read_text(encoding='utf-8')):
            if not url.startswith('data:') and not (site/url).is_file(): probs.append(f'{css.name}: url({url}) is not a file of the site')
    side = set(re.findall(r'<li[^>]*><a href="([^"]+)"', (site/'index.html').read_text(encoding='utf-8'))) if (site/'index.html').exists() else set()
    probs += [f'{p.name}: not in the sidebar' for p in pages if p.name not in side]
    return probs

def serve(site):
    "A quiet HTTP server of `site` on 127.0.0.1, in a thread; returns (server, base url)"
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

def browser_skip_reason():
    try: import playwright.sync_api # noqa
    except ImportError: return 'playwright is not installed (pip install playwright)'
    if not Path(CHROMIUM).exists(): return f'no Chromium at {CHROMIUM} (Debian: apt-get install chromium)'

def browse(site, pages, shots):
    "Open `pages` of `site` in headless Chromium; problems, one line each; screenshots in `shots`"
    from playwright.sync_api import sync_playwright
    srv, base = serve(site)
    probs, blocked = [], []
    def route(r):
        host = urlsplit(r.request.url).hostname
        if host in ('127.0.0.1', 'localhost', '::1'): r.continue_()
        else: blocked.append(r.request.url); r.abort()
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=['--no-sandbox'], headless=True)
            for name in pages:
                page, errs = b.new_page(viewport=dict(width=1280, height=900)), []
                page.route('**/*', route)
                page.on('console', lambda m: errs.append(m.text) if m.type == 'error' else None)
                page.on('pageerror', lambda e: errs.append(str(e)))
                resp = page.goto(base + name, wait_until='load')
                if resp is None or resp.status != 200: probs.append(f'{name}: HTTP {resp and resp.status}'); continue
                page.wait_for_load_state('networkidle')
                n_img, bad = page.evaluate('() => [document.images.length, [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute("src"))]')
                n_side = page.locator('nav.bf-sidebar li a').count()
                shot = Path(shots)/f'{Path(name).stem}.png'
                page.screenshot(path=str(shot))
                probs += [f'{name}: console error: {e}' for e in errs] + [f'{name}: image not shown: {s}' for s in bad]
                if n_side < 2: probs.append(f'{name}: no sidebar')
                print(f'  browsed {name}: {n_img} images, {n_side} sidebar links, screenshot {shot}')
                page.close()
            b.close()
    finally: srv.shutdown()
    return probs + [f'a request left the loopback (blocked): {u}' for u in blocked]

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('site', help='the built site (make docs: _docs)')
    p.add_argument('--shots', help='folder for the screenshots (default: a new temp dir)')
    p.add_argument('--pages', nargs='+', default=['index.html', 'detect.html'], help='pages to open in the browser')
    a = p.parse_args()
    site = Path(a.site)
    probs = link_problems(site)
    nbs = sorted((ROOT/'nbs').glob('*.ipynb'))
    print(f'docs: {len(list(site.glob("*.html")))} pages checked, links and images ' + ('resolve' if not probs else f'{len(probs)} problems'))
    if (why := browser_skip_reason()): print(f'docs: browser check skipped: {why}')
    else:
        shots = Path(a.shots or tempfile.mkdtemp(prefix='ballfast-docs-shots-')); shots.mkdir(parents=True, exist_ok=True)
        probs += browse(site, a.pages, shots)
    if probs: print('\n'.join(probs), file=sys.stderr)
    return 1 if probs else 0

if __name__ == '__main__': sys.exit(main())
