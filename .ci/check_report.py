"""Open a run's report page (RUN_DIR/index.html) in headless Chromium, as a phone and as a desktop: check that every
picture loads and that the page fits a phone's width without scrolling sideways, and keep a screenshot of each to look at.

    python .ci/check_report.py RUN_DIR [--out DIR]      # screenshots: DIR/report_phone.png, DIR/report_desktop.png

Needs Debian's chromium (apt-get install chromium). Prints one line per check; exits 1 if one fails. The page is
opened from a copy that adds a script measuring it after load: the report itself has no script."""
import json, re, shutil, subprocess, sys
from pathlib import Path

PROBE = """<script>addEventListener('load', () => {
  const imgs = [...document.images];
  const broken = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));
  document.title = 'CHECK ' + JSON.stringify({images: imgs.length, broken: broken,
                                              page_width: document.documentElement.scrollWidth, window_width: innerWidth});
});</script>"""
SIZES = {'phone': (412, 915), 'desktop': (1280, 900)}

def chromium(*args):
    exe = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    if exe is None: sys.exit("check_report: no chromium here: apt-get install chromium")
    return subprocess.run([exe, '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--mute-audio',
                           '--virtual-time-budget=5000', *args], capture_output=True, text=True, timeout=120)

def measure(page:Path, size)->dict:
    "Load a probed copy of `page` at `size` and read back what the probe wrote into the title"
    probe = page.with_name('.check_report.html')
    probe.write_text(page.read_text(encoding='utf-8').replace('</body>', PROBE + '</body>'), encoding='utf-8')
    try: dom = chromium(f'--window-size={size[0]},{size[1]}', '--dump-dom', probe.resolve().as_uri()).stdout
    finally: probe.unlink(missing_ok=True)
    found = re.search(r'<title>CHECK (.*?)</title>', dom, re.S)
    if not found: sys.exit(f"check_report: the page did not finish loading in Chromium:\n{dom[:500]}")
    return json.loads(found.group(1).replace('&quot;', '"'))

if __name__ == '__main__':
    args = sys.argv[1:]
    out = Path(args.pop(args.index('--out') + 1)) if '--out' in args else Path('.')
    if '--out' in args: args.remove('--out')
    if len(args) != 1: sys.exit(__doc__)
    page = Path(args[0])/'index.html'
    if not page.exists(): sys.exit(f"check_report: {page} not found: cgan-train or cgan-eval writes it")
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    for name, size in SIZES.items():
        m = measure(page, size)
        fits = m['page_width'] <= m['window_width']
        ok = m['images'] > 0 and not m['broken'] and fits
        failed |= not ok
        shot = out/f'report_{name}.png'
        chromium(f'--window-size={size[0]},{size[1] * 3}', f'--screenshot={shot.resolve()}', page.resolve().as_uri())
        print(f"{'ok' if ok else 'FAILED'} {name} {size[0]}×{size[1]}: {m['images']} pictures, broken {m['broken'] or 'none'}; "
              f"page {m['page_width']} px wide in a {m['window_width']} px window ({'fits' if fits else 'scrolls sideways'}); "
              f"screenshot {shot}")
    sys.exit(1 if failed else 0)
