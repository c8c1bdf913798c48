"""A real colour benchmark set: Twitter's emoji (npm package `emoji-datasource-twitter@16.0.0`, 64 px PNGs) as class folders.

    python bench/emoji_data.py                 # prints where the folder is, and its counts
    python bench/emoji_data.py --dest DIR
    python bench/emoji_data.py --contest-zip cgan_nbdev/assets/emoji_contest.zip   # the small zip the package ships

`emoji_folder()` fetches the package with `npm pack` (once, into the cache folder), and lays the base emoji (no skin-tone
variants, which would be near-copies across the splits) of four categories out as `DEST/{train,valid}/<category>/<name>.png`:
every fourth emoji of a category, in the package's own order, goes to `valid`, so the reference of `cgan-eval` is
pictures the GAN never saw. The images are never committed; no test needs them.
"""
import argparse, json, os, shutil, subprocess, tarfile, tempfile, zipfile
from pathlib import Path

PACKAGE = 'emoji-datasource-twitter@16.0.0'
CATEGORIES = {'Food & Drink': 'food', 'Animals & Nature': 'animals', 'Smileys & Emotion': 'smileys', 'Flags': 'flags'}
VALID_EVERY = 4
CACHE = Path(os.environ.get('CGAN_CACHE', Path.home()/'.cache'/'cgan_nbdev'))/'emoji'

def npm_package(cache:Path=CACHE)->Path:
    "The unpacked npm package (fetched with `npm pack` the first time)"
    unpacked = cache/'package'
    if (unpacked/'emoji.json').exists(): return unpacked
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        subprocess.run(['npm', 'pack', PACKAGE, '--silent'], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        tgz, = Path(tmp).glob('*.tgz')
        with tarfile.open(tgz) as t: t.extractall(tmp, filter='data')
        os.replace(Path(tmp)/'package', unpacked)
    return unpacked

def emoji_folder(dest:Path=None, cache:Path=CACHE)->Path:
    "DEST/{train,valid}/<category>/*.png for the four categories; made once"
    pkg = npm_package(cache)
    dest = Path(dest or cache/'set')
    if (dest/'.complete').exists(): return dest
    shutil.rmtree(dest, ignore_errors=True)
    emoji = sorted(json.loads((pkg/'emoji.json').read_text()), key=lambda e: e['sort_order'])
    for category, name in CATEGORIES.items():
        images = [e['image'] for e in emoji if e['category'] == category and e.get('has_img_twitter') and (pkg/'img/twitter/64'/e['image']).exists()]
        for i, image in enumerate(images):
            split = 'valid' if i % VALID_EVERY == VALID_EVERY - 1 else 'train'
            (dest/split/name).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pkg/'img/twitter/64'/image, dest/split/name/image)
    (dest/'.complete').touch()
    return dest

CONTEST_CLASSES = {'food': 'Food', 'animals': 'Animal'}
ATTRIBUTION = """Twemoji graphics by Twitter, Inc and other contributors, licensed under CC-BY 4.0
(https://creativecommons.org/licenses/by/4.0/); taken unchanged, 64 px, from the npm package {package}.
Laid out as a contest zip (datasets/<split>/<class>/<code point>.png) for cgan_nbdev's course.
"""

def contest_zip(out:Path, cache:Path=CACHE)->Path:
    "The Food and Animal classes of the set as a contest-style zip, datasets/{train,valid}/<Class>/*.png: the same bytes every time"
    src, out = emoji_folder(cache=cache), Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    when = (2025, 1, 1, 0, 0, 0)             # fixed times and order: the zip, and so its SHA-256, depend on the pictures only
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_STORED) as z:       # PNGs do not compress further
        z.writestr(zipfile.ZipInfo('ATTRIBUTION.txt', when), ATTRIBUTION.format(package=PACKAGE))
        for split in ('train', 'valid'):
            for name, cls in CONTEST_CLASSES.items():
                for f in sorted((src/split/name).iterdir()): z.writestr(zipfile.ZipInfo(f'datasets/{split}/{cls}/{f.name}', when), f.read_bytes())
    return out

def counts(dest:Path)->dict:
    return {split.name: {c.name: len(list(c.iterdir())) for c in sorted(split.iterdir())} for split in sorted(dest.iterdir()) if split.is_dir()}

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--dest', default=None)
    p.add_argument('--contest-zip', default=None, metavar='FILE', help='write the Food and Animal classes as a contest-style zip')
    args = p.parse_args()
    if args.contest_zip:
        print(contest_zip(args.contest_zip)); raise SystemExit
    d = emoji_folder(args.dest)
    print(d)
    for split, c in counts(d).items(): print(f"{split}: {sum(c.values())} images, {c}")
