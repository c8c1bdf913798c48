"""Cells for reading: the size of every `#| export` cell of the notebooks and the longest functions of the package.

    .venv/bin/python bench/bench_cells.py            # the distribution, the largest cells, the longest functions

Issue 17's targets: median export cell ≤ 10 lines, one function or class per cell where possible, no function over 40 lines.
Issue 33's: no line of code over 120 characters, in the package and in the notebooks' code cells (what a reader sees).
The package's first line (the notebook's summary as its docstring) and `__all__` are written by nbdev, not by hand."""
import ast, json, statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def export_cells():
    "(notebook, cell id, lines of code, top-level functions and classes) of every export cell"
    for nb_path in sorted((ROOT/'nbs').glob('*.ipynb')):
        for cell in json.loads(nb_path.read_text())['cells']:
            src = ''.join(cell['source'])
            if cell['cell_type'] != 'code' or not src.startswith('#| export'): continue
            code = [l for l in src.splitlines()[1:] if l.strip()]
            try: defs = sum(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) for n in ast.parse(src).body)
            except SyntaxError: defs = 0
            yield nb_path.name, cell.get('id'), len(code), defs

def functions():
    "(lines, module:name) of every function and method of the package"
    for py in sorted((ROOT/'cgan_nbdev').glob('*.py')):
        if py.name.startswith('_'): continue
        for node in ast.walk(ast.parse(py.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield node.end_lineno - node.lineno + 1, f'{py.stem}:{node.name}'

MAX_WIDTH = 120

def code_lines():
    "(where, line) of every line a person wrote: the package's modules and the notebooks' code cells"
    for py in sorted((ROOT/'cgan_nbdev').glob('*.py')):
        if py.name.startswith('_'): continue
        lines = py.read_text().splitlines()
        in_all = False
        for i, line in enumerate(lines[1:], 2):       # line 1: nbdev's docstring from the notebook's summary
            in_all = line.startswith('__all__') or (in_all and not lines[i - 2].rstrip().endswith(']'))
            if not in_all: yield f'cgan_nbdev/{py.name}:{i}', line
    for nb_path in sorted((ROOT/'nbs').glob('*.ipynb')):
        for k, cell in enumerate(json.loads(nb_path.read_text())['cells']):
            if cell['cell_type'] != 'code': continue
            for line in ''.join(cell['source']).splitlines(): yield f'nbs/{nb_path.name} cell {k}', line

if __name__ == '__main__':
    cells = list(export_cells())
    sizes = sorted(n for _, _, n, _ in cells)
    q = statistics.quantiles(sizes, n=4)
    print(f"export cells: {len(cells)}; lines of code per cell: median {statistics.median(sizes):.0f}, quartiles {q[0]:.0f}/{q[2]:.0f}, max {sizes[-1]}")
    print(f"cells of 40+ lines: {sum(n >= 40 for n in sizes)}; cells with more than one function or class: {sum(d > 1 for *_, d in cells)}")
    print("\nlargest export cells (lines, functions/classes):")
    for nb, cid, n, d in sorted(cells, key=lambda c: -c[2])[:10]: print(f"  {n:4d}  {d:2d}  {nb} #{cid}")
    funcs = sorted(functions(), reverse=True)
    print(f"\nfunctions: {len(funcs)}; over 40 lines: {sum(n > 40 for n, _ in funcs)}; longest:")
    for n, name in funcs[:10]: print(f"  {n:4d}  {name}")
    every = [(where, line) for where, line in code_lines() if line.strip()]
    # IPython's shell lines (the install cells' `!pip install ...`) stay whole: the Colab check rewrites them as one line
    shell = [(where, line) for where, line in every if line.lstrip().startswith(('!', '%'))]
    lines = [(where, line) for where, line in every if not line.lstrip().startswith(('!', '%'))]
    widths = sorted(len(line) for _, line in lines)
    over = [(len(line), where) for where, line in lines if len(line) > MAX_WIDTH]
    print(f"\nlines of code: {len(lines)}; median width {statistics.median(widths):.0f}, widest {widths[-1]}; "
          f"over {MAX_WIDTH}: {len(over)}")
    for n, where in sorted(over, reverse=True)[:10]: print(f"  {n:4d}  {where}")
    print(f"shell lines (install cells): {len(shell)}; over {MAX_WIDTH}: {sum(len(l) > MAX_WIDTH for _, l in shell)}, "
          f"widest {max(len(l) for _, l in shell)}")
