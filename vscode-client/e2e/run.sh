#!/usr/bin/env bash
# End-to-end test of the extension in a real VS Code (code-server 4.100.3 = VS Code 1.100)
# driven by headless Chromium + Playwright (playwright-core, no browser download):
# builds the vsix, installs it into a fresh profile, opens a copy of e2e/fixture and runs
# e2e/e2e.test.cjs. Screenshots and logs: e2e/artifacts/ (gitignored).
#
#   usage: bash e2e/run.sh            (from vscode-client/, after npm ci)
#   env:   CODE_SERVER_E2E_DIR (default ~/.cache/code-server-e2e), CHROMIUM (/usr/bin/chromium),
#          E2E_SKIP_PACKAGE=1 reuses dist/carve-*.vsix, E2E_INTERPRETER=/path/to/python sets
#          carve.interpreter (default: python3 on PATH), E2E_SPLIT=0 skips the split step
# Follows ../shared/tools/vscode-e2e (setup-code-server.sh is a copy of it).
set -euo pipefail
CLIENT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CS_DIR="${CODE_SERVER_E2E_DIR:-$HOME/.cache/code-server-e2e}"
ART="$CLIENT/e2e/artifacts"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/carve-e2e.XXXXXX")"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
T_ALL=$(now)
rm -rf "$ART"; mkdir -p "$ART"

T=$(now); bash "$CLIENT/e2e/setup-code-server.sh" "$CS_DIR"; echo "[e2e] setup-code-server: $(secs "$T") s"
CS="$CS_DIR/node_modules/.bin/code-server"

VERSION=$(node -p "require('$CLIENT/package.json').version")
VSIX="$CLIENT/dist/carve-$VERSION.vsix"
if [[ "${E2E_SKIP_PACKAGE:-0}" != 1 || ! -f "$VSIX" ]]; then
  T=$(now); (cd "$CLIENT" && npm run --silent package) >"$ART/package.log" 2>&1 \
    || { tail -n 40 "$ART/package.log"; echo "[e2e] packaging failed" >&2; exit 1; }
  echo "[e2e] vsix built ($(secs "$T") s)"
fi
echo "[e2e] vsix size: $(du -k "$VSIX" | cut -f1) KB ($VSIX)"

DATA="$WORK/cs-data"; WS="$WORK/shop"
mkdir -p "$DATA/user/User"; cp -r "$CLIENT/e2e/fixture" "$WS"
cat > "$DATA/user/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "files.autoSave": "off",
  "window.confirmBeforeClose": "never",
  "editor.lightbulb.enabled": "off",
  "chat.commandCenter.enabled": false,
  "workbench.editor.enablePreview": false,
  "carve.trace.server": "messages"
}
JSON
if [[ -n "${E2E_INTERPRETER:-}" ]]; then
  node -e 'const fs = require("fs"); const [file, python] = process.argv.slice(1);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), "carve.interpreter": python }, null, 2));' \
    "$DATA/user/User/settings.json" "$E2E_INTERPRETER"
fi
CS_ARGS=(--config "$DATA/config.yaml" --user-data-dir "$DATA/user" --extensions-dir "$DATA/ext")
T=$(now)
"$CS" "${CS_ARGS[@]}" --install-extension "$VSIX" >"$ART/install-extension.log" 2>&1 \
  || { cat "$ART/install-extension.log"; echo "[e2e] --install-extension failed" >&2; exit 1; }
echo "[e2e] extension installed ($(secs "$T") s)"

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
setsid "$CS" "${CS_ARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust "$WS" >"$ART/code-server.log" 2>&1 &
CS_PID=$!
cleanup() {  # code-server, its extension host, file watcher and the carve server share one process group
  if kill -TERM -- "-$CS_PID" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 -- "-$CS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
  fi
  # the extension's log files (Carve output channel) are kept with the screenshots
  find "$DATA/user/logs" -name '*Carve*.log' -exec cp {} "$ART/" \; 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
healthy() {  # node, not curl: a fresh Debian may have no curl
  node -e 'require("http").get(process.argv[1], (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1))' \
    "http://127.0.0.1:$PORT/healthz"
}
for _ in $(seq 300); do
  healthy && break
  kill -0 "$CS_PID" 2>/dev/null || { cat "$ART/code-server.log"; echo "[e2e] code-server died" >&2; exit 1; }
  sleep 0.1
done
healthy || { tail -n 30 "$ART/code-server.log"; echo "[e2e] code-server did not answer /healthz" >&2; exit 1; }

T=$(now); rc=0
CS_URL="http://127.0.0.1:$PORT" WS_DIR="$WS" ART="$ART" LOGS_DIR="$DATA/user/logs" \
  node "$CLIENT/e2e/e2e.test.cjs" || rc=$?
echo "[e2e] browser test: $(secs "$T") s; total: $(secs "$T_ALL") s; artefacts: $ART"
[[ $rc == 0 ]] || { echo "[e2e] --- code-server.log (tail) ---"; tail -n 30 "$ART/code-server.log"; }
exit $rc
