"""Run every notebook as a Colab user runs it: copied alone into an empty folder, in a fresh environment that holds only
torch, numpy, matplotlib and a Jupyter kernel, then "Run all": every cell, `#| eval: false` ones included. The
notebook's own install cell installs everything else it needs. The one change this check makes: that cell installs the
package from a wheel built from this checkout (with the extras the cell names), since CI cannot reach the repository's
URL. So a notebook that reads `../README.md`, imports what its install cell does not install, or runs `nbdev_export()`
outside the repository fails here, as it would on Colab.

    python .ci/run_as_colab.py [NOTEBOOK ...]          # every notebook in nbs/ (or those named)
    python .ci/run_as_colab.py --keep DIR NOTEBOOK     # keep the folders the notebooks ran in, under DIR

The environment is made once per call (pip's cache makes torch a copy, not a download); each notebook gets its own
empty folder; their cache ($CGAN_CACHE) is a folder of the check's own, not the user's."""
import json, os, re, shutil, subprocess, sys, tempfile, time, venv
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
COLAB_PACKAGES = ['torch', 'numpy', 'matplotlib', 'ipykernel']    # what Colab has that the package needs, and a kernel
INSTALL_LINE = re.compile(r'^!pip install.*\bcgan_nbdev\b.*$', re.M)
EXTRAS = re.compile(r'cgan_nbdev(\[[\w,-]+\])')

def build_wheel(out:Path)->Path:
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '-w', str(out), str(ROOT)], check=True)
    return next(out.glob('cgan_nbdev-*.whl'))

def fresh_environment(path:Path)->Path:
    "A virtual environment with only `COLAB_PACKAGES` (and what they need); returns its bin folder"
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    subprocess.run([str(path/'bin'/'python'), '-m', 'pip', 'install', '-q', *COLAB_PACKAGES], check=True)
    return path/'bin'

def kernel_spec(spec_root:Path, bin_dir:Path, cache:Path)->str:
    "A kernel of the fresh environment, whose `!pip` and console scripts are that environment's"
    (spec_root/'kernels'/'colab').mkdir(parents=True, exist_ok=True)
    ours = str(Path(sys.executable).parent)      # this (dev) environment's bin stays off the kernel's PATH
    path = os.pathsep.join([str(bin_dir)] + [p for p in os.environ.get('PATH', '').split(os.pathsep) if p and p != ours])
    spec = dict(argv=[str(bin_dir/'python'), '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name='colab', language='python',
                env=dict(PATH=path, VIRTUAL_ENV=str(bin_dir.parent), CGAN_CACHE=str(cache), PYTHONPATH=''))
    (spec_root/'kernels'/'colab'/'kernel.json').write_text(json.dumps(spec))
    return 'colab'

def as_colab(nb, wheel:Path):
    "The notebook with its install cell pointed at the wheel (keeping its extras); the number of install lines changed"
    changed = 0
    for cell in nb.cells:
        if cell.cell_type != 'code' or not INSTALL_LINE.search(cell.source): continue
        def to_wheel(m):
            extras = EXTRAS.search(m.group(0))
            return f'!pip install -q "{wheel}{extras.group(1) if extras else ""}"'
        cell.source, n = INSTALL_LINE.subn(to_wheel, cell.source)
        changed += n
    return nb, changed

def run(path:Path, wheel:Path, kernel:str, work:Path)->bool:
    folder = work/path.stem; folder.mkdir(parents=True)
    shutil.copy(path, folder/path.name)         # alone: no ../README.md, no images/, no other notebook
    nb, changed = as_colab(nbformat.read(folder/path.name, as_version=4), wheel)
    start = time.time()
    if not changed:
        print(f"colab: FAILED {path.name}: no install cell (!pip install ... cgan_nbdev ...): on Colab nothing would import", flush=True)
        return False
    try: NotebookClient(nb, timeout=1800, kernel_name=kernel, resources={'metadata': {'path': str(folder)}}).execute()
    except CellExecutionError as e:
        print(f"colab: FAILED {path.name} after {time.time() - start:.0f} s\n{str(e)[-3000:]}", flush=True); return False
    print(f"colab: ok {path.name} ({time.time() - start:.0f} s)", flush=True)
    return True

if __name__ == '__main__':
    args = sys.argv[1:]
    keep = Path(args.pop(args.index('--keep') + 1)) if '--keep' in args else None
    if '--keep' in args: args.remove('--keep')
    paths = [Path(p).resolve() for p in args] or sorted((ROOT/'nbs').glob('*.ipynb'))
    with tempfile.TemporaryDirectory(prefix='colab-') as tmp:
        tmp = Path(tmp)
        start = time.time()
        wheel, bin_dir = build_wheel(tmp/'dist'), fresh_environment(tmp/'env')
        os.environ['JUPYTER_PATH'] = str(tmp/'jupyter')
        kernel = kernel_spec(tmp/'jupyter', bin_dir, tmp/'cache')
        print(f"colab: a fresh environment with {', '.join(COLAB_PACKAGES)} and {wheel.name} for the install cells ({time.time() - start:.0f} s)", flush=True)
        work = keep or tmp/'content'
        failed = [p.name for p in paths if not run(p, wheel, kernel, work)]
    print(f"colab: {len(paths) - len(failed)} passed, {len(failed)} failed" + (f": {', '.join(failed)}" if failed else ''))
    sys.exit(1 if failed else 0)
