"""Execute every notebook top to bottom in a real Jupyter kernel, as Colab and a reader do (nbdev-test is not a kernel:
no progress bar there, tqdm's widgets here). Only the `#| eval: false` cells are left out: they install the
package from PyPI, which would replace the checkout under test.

    python .ci/run_in_jupyter.py [NOTEBOOK ...]          # check: every notebook (or those named) runs
    python .ci/run_in_jupyter.py --save NOTEBOOK ...     # also write the outputs into the notebooks (then nbdev-clean)

`--save` is how the notebooks get the saved outputs that GitHub and the docs site show (nbdev renders them; it does
not execute): a real run, in a kernel, of the committed code."""
import sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

def skipped(cell)->bool: return cell.cell_type == 'code' and cell.source.lstrip().startswith('#| eval: false')

def run(path:Path, save:bool=False)->bool:
    original = nbformat.read(path, as_version=4)
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if not skipped(c)]
    start = time.time()
    try: NotebookClient(nb, timeout=1200, kernel_name='python3', resources={'metadata': {'path': str(path.parent)}}).execute()
    except CellExecutionError as e:
        print(f"jupyter: FAILED {path.name} after {time.time() - start:.0f} s\n{str(e)[-3000:]}", flush=True); return False
    if save:        # outputs back into the notebook as committed, cell by cell (the skipped cells keep none)
        ran = {c.id: c for c in nb.cells}
        for c in original.cells:
            if c.cell_type == 'code' and c.id in ran: c.outputs, c.execution_count = ran[c.id].outputs, ran[c.id].execution_count
        nbformat.write(original, path)
    print(f"jupyter: ok {path.name} ({time.time() - start:.0f} s){' - outputs saved' if save else ''}", flush=True); return True

if __name__ == '__main__':
    args = sys.argv[1:]
    save = '--save' in args
    paths = [Path(p) for p in args if p != '--save'] or sorted(Path('nbs').glob('*.ipynb'))
    failed = [p.name for p in paths if not run(p, save)]
    print(f"jupyter: {len(paths) - len(failed)} passed, {len(failed)} failed" + (f": {', '.join(failed)}" if failed else ''))
    sys.exit(1 if failed else 0)
