"""Execute every notebook top to bottom in a real Jupyter kernel, as Colab and a reader do (nbdev-test is not a kernel:
fastprogress prints text there and draws HTML here). Only the `#| eval: false` cells are left out: they install the
package from PyPI, which would replace the checkout under test. Usage: python .ci/run_in_jupyter.py [NOTEBOOK ...]"""
import sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

def run(path:Path)->bool:
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if not (c.cell_type == 'code' and c.source.lstrip().startswith('#| eval: false'))]
    start = time.time()
    try: NotebookClient(nb, timeout=1200, kernel_name='python3', resources={'metadata': {'path': str(path.parent)}}).execute()
    except CellExecutionError as e:
        print(f"jupyter: FAILED {path.name} after {time.time() - start:.0f} s\n{str(e)[-3000:]}", flush=True); return False
    print(f"jupyter: ok {path.name} ({time.time() - start:.0f} s)", flush=True); return True

if __name__ == '__main__':
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path('nbs').glob('*.ipynb'))
    failed = [p.name for p in paths if not run(p)]
    print(f"jupyter: {len(paths) - len(failed)} passed, {len(failed)} failed" + (f": {', '.join(failed)}" if failed else ''))
    sys.exit(1 if failed else 0)
