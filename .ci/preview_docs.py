"""Preview the docs pages without Quarto (which cannot be installed everywhere) and check them in headless Chromium.

    python .ci/preview_docs.py              # every notebook
    python .ci/preview_docs.py 07_viz       # those whose names contain the given words

Steps: `nbdev-proc-nbs` processes the notebooks as the docs build does (directives applied, `show_doc` rendered, saved
outputs kept, nothing executed); `jupyter nbconvert --to html` turns each processed notebook into a page in `_preview/`;
Chromium (Debian's `chromium`) opens every page headless, reports whether it loaded, how many images it has and which
of them did not load (images from the web, such as the Colab badge, are listed apart: the machine may be offline), and saves a screenshot of the top of the page in `_preview/shots/` to look at.
Exit status 1 if a page failed to load or has a broken image."""
import json, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROC, OUT = ROOT/'_proc', ROOT/'_preview'
CHECK = """<script>window.addEventListener('load', () => setTimeout(() => {
  const imgs = [...document.images];
  const broken = imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => (i.getAttribute('src') || '').slice(0, 80));
  document.body.setAttribute('data-check', JSON.stringify({images: imgs.length, broken: broken}));
}, 500));</script>"""

def chromium(*args, timeout:int=60)->str:
    cmd = ['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--virtual-time-budget=8000', *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout).stdout

def build(names:list)->list:
    subprocess.run(['nbdev-proc-nbs', '--force'], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(['nbdev-clean', '--fname', '_proc'], cwd=ROOT, check=True, capture_output=True)   # nbconvert rejects the timing metadata
    if OUT.exists(): shutil.rmtree(OUT)
    (OUT/'shots').mkdir(parents=True)
    if (PROC/'images').exists(): shutil.copytree(PROC/'images', OUT/'images')
    nbs = [p for p in sorted(PROC.glob('*.ipynb')) if not names or any(n in p.stem for n in names)]
    subprocess.run(['jupyter', 'nbconvert', '--to', 'html', '--output-dir', str(OUT), *map(str, nbs)], check=True, capture_output=True)
    pages = []
    for nb in nbs:
        page = OUT/f'{nb.stem}.html'
        page.write_text(page.read_text(encoding='utf-8').replace('</body>', CHECK + '</body>'), encoding='utf-8')
        pages.append(page)
    return pages

def check(page:Path)->dict:
    dom = chromium('--dump-dom', page.as_uri())
    m = re.search(r"data-check=\"([^\"]*)\"", dom)
    result = json.loads(m.group(1).replace('&quot;', '"')) if m else dict(images=None, broken=['(page did not finish loading)'])
    chromium(f'--screenshot={OUT/"shots"/(page.stem + ".png")}', '--window-size=1280,2000', page.as_uri())
    return result

def main():
    pages = build(sys.argv[1:])
    bad = 0
    for page in pages:
        r = check(page)
        remote = [u for u in r['broken'] if u.startswith('http')]      # badges from the web: this machine may be offline
        broken = [u for u in r['broken'] if u not in remote]
        bad += bool(broken)
        print(f"{page.name:20} images {r['images']!s:>4}  broken {len(broken)}" + (f" {broken}" if broken else '') +
              (f"  (not loaded, from the web: {len(remote)})" if remote else ''), flush=True)
    print(f"preview: {len(pages)} pages, {bad} with problems; screenshots in {OUT/'shots'}")
    sys.exit(1 if bad else 0)

if __name__ == '__main__': main()
