#!/usr/bin/env bash
# Installs llama.cpp's OpenAI-compatible server (the PyPI package llama-cpp-python[server], which compiles llama.cpp
# from source) into a virtualenv kept across runs, for the remote-agents e2e test (test/e2e/remote-agents.spec.ts).
# Already installed: about 2 s. First install: a C++ build, measured at 45-65 min on 2 cores shared with other builds
# and tests (load average 14-20; an idle machine is faster); pip keeps the built wheel in its cache, so a new
# virtualenv on the same machine installs in about 40 s.
# The test finds the server at the same path ($LLAMA_SERVER_VENV overrides it) and is skipped, saying why, without it.
set -euo pipefail

VERSION=0.3.36
DIR="${LLAMA_SERVER_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/attention-moa/llama-server-$VERSION}"

if [ -x "$DIR/bin/python" ] && "$DIR/bin/python" -c "import llama_cpp, llama_cpp.server.app; assert llama_cpp.__version__ == '$VERSION'" 2>/dev/null; then
  echo "llama-server: llama-cpp-python $VERSION is installed in $DIR"
  exit 0
fi
if ! command -v python3 >/dev/null || ! command -v cmake >/dev/null || ! command -v c++ >/dev/null; then
  echo "llama-server: python3, cmake and a C++ compiler are needed to build llama-cpp-python; not installed (the remote-agents e2e test will be skipped)" >&2
  exit 1
fi

start=$(date +%s)
echo "llama-server: installing llama-cpp-python[server]==$VERSION into $DIR (compiles llama.cpp unless pip has the wheel cached)"
rm -rf "$DIR.partial"
python3 -m venv "$DIR.partial"
# Text models only: skip the multimodal (llava/mtmd) library, a third of the build.
CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" "$DIR.partial/bin/pip" install --quiet --disable-pip-version-check "llama-cpp-python[server]==$VERSION"
rm -rf "$DIR"
mv "$DIR.partial" "$DIR"
# A venv's scripts hold its absolute path: rewrite them for the final folder.
sed -i "s#$DIR.partial#$DIR#g" "$DIR"/bin/* 2>/dev/null || true
echo "llama-server: installed in $(( $(date +%s) - start )) s"
