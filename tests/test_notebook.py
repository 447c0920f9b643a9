"""The example notebook, ``examples/gradient_descent.ipynb``, runs headless and shows its work:
every code cell runs without error in a Jupyter kernel of this Python, from a copy of the
notebook in a folder of its own (where Manim writes its media), and its outputs hold a clip
(``%%manim``'s ``<video>``, whose file has frames) and a still (a PNG with something drawn).

Needs ``nbclient``, ``nbformat`` and ``ipykernel`` (the ``notebook`` extra), which the set-up
installs; without them the test fails saying so, it never skips.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from scene_render import is_nontrivial

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "gradient_descent.ipynb"
CELL_TIMEOUT = 120  # seconds for any one cell; the whole notebook takes about 20 s
SET_UP = "run the set-up (`make setup`, tools/setup.sh), or `.venv/bin/pip install -e '.[notebook]'`"


def _execute(path: Path):
    """Run the notebook at ``path`` in its own folder with the ``python3`` kernel (ipykernel's,
    which jupyter_client starts with this interpreter) and return it with its outputs."""
    try:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
    except ImportError as error:
        pytest.fail(f"{error.name} missing: {SET_UP}", pytrace=False)
    notebook = nbformat.read(path, as_version=4)
    folder = {"metadata": {"path": str(path.parent)}}  # the kernel's working folder
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources=folder)
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"a cell of {NOTEBOOK.name} failed:\n{error}", pytrace=False)
    return notebook


def _displays(notebook, mime: str) -> list[str]:
    """Every output of the code cells in format ``mime`` (shown with ``display`` or as a cell's value)."""
    return [
        output["data"][mime]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type in ("display_data", "execute_result") and mime in output["data"]
    ]


def test_example_notebook_is_kept_without_outputs():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    assert not any(cell.get("outputs") or cell.get("execution_count") for cell in cells), (
        f"{NOTEBOOK.name} holds outputs; clear them before committing"
    )


@pytest.mark.render
def test_example_notebook_runs_headless_and_shows_a_clip_and_a_still(tmp_path):
    shutil.copy(NOTEBOOK, tmp_path)
    notebook = _execute(tmp_path / NOTEBOOK.name)

    # Every code cell ran, without an error output
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    errors = [output for cell in code for output in cell.outputs if output.output_type == "error"]
    assert not errors, errors

    # A clip: %%manim shows <video src="media/jupyter/...mp4">, a file beside the notebook
    html = "".join(_displays(notebook, "text/html"))
    videos = re.findall(r'<video src="([^"]+)"', html)
    assert len(videos) >= 2, "expected the collection's scene and the subclass as clips"
    for src in videos:
        assert (tmp_path / src).is_file(), f"{src} is not beside the notebook"
        with av.open(str(tmp_path / src)) as container:
            count, last = 0, None
            for count, frame in enumerate(container.decode(video=0), start=1):
                last = frame
        assert count > 10, f"{src} has {count} frames"
        assert is_nontrivial(last.to_ndarray(format="rgb24")), f"the last frame of {src} is blank"

    # A still: a PNG with something drawn on it
    pictures = _displays(notebook, "image/png")
    assert pictures, "expected a still (image/png output)"
    still = np.asarray(Image.open(io.BytesIO(base64.b64decode(pictures[0]))).convert("RGB"))
    assert is_nontrivial(still), "the still is blank"

    # The numbers: gradcore's tables came out as Markdown
    tables = _displays(notebook, "text/markdown")
    assert any("how it ended" in table for table in tables)
