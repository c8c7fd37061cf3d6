"""A second real client: headless Neovim (Debian's package) starts `carve serve`,
opens a file, shows carve's diagnostics and runs a command. Skipped without `nvim`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from billing_project import BILLING

from .lsp_helpers import write_project

NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="nvim is not installed")

# Neovim >= 0.7: start the client by hand (no lspconfig), wait for diagnostics.
SCRIPT = """
local root, out = os.getenv("CARVE_ROOT"), os.getenv("CARVE_OUT")
local id = vim.lsp.start_client({
  name = "carve", root_dir = root,
  cmd = { os.getenv("CARVE_PYTHON"), "-m", "carve", "serve" },
})
vim.cmd("edit " .. root .. "/apps/shop/views.py")
vim.lsp.buf_attach_client(0, id)
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local found = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(found, { line = d.lnum, col = d.col, message = d.message, source = d.source })
end
local client = vim.lsp.get_client_by_id(id)
local params = { command = "carve.status" }
local status = client.request_sync("workspace/executeCommand", params, 10000, 0)
local report = { diagnostics = found, status = status and status.result }
vim.fn.writefile({ vim.fn.json_encode(report) }, out)
client.stop()
vim.cmd("qa!")
"""


def test_neovim_shows_carve_diagnostics(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write_project(
        root, {**BILLING, "apps/shop/views.py": "from apps.billing.invoice_models import Invoice\n"}
    )
    script = tmp_path / "smoke.lua"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "CARVE_ROOT": str(root),
        "CARVE_OUT": str(out),
        "CARVE_PYTHON": sys.executable,
    }
    command = [NVIM, "--headless", "--clean", "-c", f"luafile {script}"]
    subprocess.run(command, env=env, timeout=60, check=True, capture_output=True)
    result = json.loads(out.read_text(encoding="utf-8"))
    (diagnostic,) = result["diagnostics"]
    assert diagnostic["source"] == "carve"
    assert (diagnostic["line"], diagnostic["col"]) == (0, 40)
    assert "apps.billing.models" in diagnostic["message"]
    assert result["status"]["ready"] is True
