#!/usr/bin/env bash
# Regenerate the hash-locked requirements from pyproject.toml. Run it after any change to the
# dependencies (a new package, a new extra, a changed range):
#
#   requirements/lock.sh            # keep the versions already locked, add what is new
#   requirements/lock.sh --upgrade  # move every package to the newest version the ranges allow
#
# It writes, for every Python from 3.11 and every platform (uv's universal resolution):
#   lock-all.txt      the runtime and every extra, resolved together: the versions all locks share
#   lock.txt          the runtime dependencies (the README's install)
#   lock-EXTRA.txt    the runtime and one extra, for each extra declared in pyproject.toml
# overrides.txt says which requirements of our dependencies are replaced, and why.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9  # the resolver, pinned so that the same inputs give the same files

uv=$(command -v uv || true)
if [[ -z "$uv" || "$("$uv" --version)" != "uv $UV_VERSION"* ]]; then
  tools="${XDG_CACHE_HOME:-$HOME/.cache}/sanctionwatch/uv-$UV_VERSION"
  if [[ ! -x "$tools/bin/uv" ]]; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install -q "uv==$UV_VERSION"
  fi
  uv="$tools/bin/uv"
fi

extras=$(python3 -c '
import tomllib
with open("pyproject.toml", "rb") as f:
    print(" ".join(tomllib.load(f)["project"].get("optional-dependencies", {})))
')

compile() {  # compile OUTPUT [uv options...]
  local output=$1
  shift
  # Only PyPI: the lock must hold for anyone, whatever mirrors this machine's pip is set up with.
  "$uv" pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes \
    --default-index https://pypi.org/simple --no-config \
    --overrides requirements/overrides.txt --custom-compile-command "requirements/lock.sh" \
    --output-file "$output" "$@" "${upgrade[@]}"
}

upgrade=()
[[ "${1:-}" == "--upgrade" ]] && upgrade=(--upgrade)

# The whole set first, so that every lock below agrees on the version of every package.
compile requirements/lock-all.txt --all-extras
compile requirements/lock.txt --constraints requirements/lock-all.txt
keep=(requirements/lock.sh requirements/overrides.txt requirements/lock-all.txt requirements/lock.txt)
for extra in $extras; do
  compile "requirements/lock-$extra.txt" --extra "$extra" --constraints requirements/lock-all.txt
  keep+=("requirements/lock-$extra.txt")
done
# The lock of an extra that no longer exists goes.
for file in requirements/lock-*.txt; do
  [[ " ${keep[*]} " == *" $file "* ]] || rm -v "$file"
done
echo "locked: ${keep[*]:2}"
