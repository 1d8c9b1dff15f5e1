# Functions shared by scripts/e2e-tmux.sh and scripts/e2e-tmux-arpa.sh; source it after setting
# E2E_NAME (the prefix of every message). The script sets SOCK (its tmux socket), TIMEOUT (seconds
# every wait may take) and WORK (its scratch directory) before calling them. The session is `e2e`.

# fail MESSAGE: print the message and the screen (when the session is up), exit 1.
fail() {
  echo "$E2E_NAME: FAIL: $*" >&2
  if [[ -n "${SOCK:-}" ]] && tmux -L "$SOCK" has-session -t e2e 2>/dev/null; then
    echo "---- screen ----" >&2
    tmux -L "$SOCK" capture-pane -p -t e2e >&2 || true
    echo "----------------" >&2
  fi
  exit 1
}

trap 'echo "$E2E_NAME: FAIL: unexpected error at line $LINENO (exit status $?)" >&2' ERR

# cleanup: kill the tmux server and remove the scratch directory (the scripts' EXIT trap).
cleanup() {
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  rm -rf "$WORK"
}

T() { tmux -L "$SOCK" "$@"; }
screen() { T capture-pane -p -t e2e; }

# wait_for TEXT [DESCRIPTION]: poll the screen until TEXT (fixed string) appears.
wait_for() {
  local deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if screen 2>/dev/null | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "timed out after ${TIMEOUT}s waiting for '$1'${2:+ ($2)}"
}

# wait_gone TEXT: poll until TEXT is no longer on the screen.
wait_gone() {
  local deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! screen 2>/dev/null | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "timed out after ${TIMEOUT}s waiting for '$1' to disappear"
}
