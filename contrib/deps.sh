#!/bin/sh
# Checks agentutils' build dependencies; as root on Debian installs what is
# missing with apt-get, otherwise prints the exact command to run.
pkgs=
pkg-config --version >/dev/null 2>&1 || pkgs="$pkgs pkg-config"
for p in libbsd:libbsd-dev libpcre2-8:libpcre2-dev json-c:libjson-c-dev check:check; do
	pkg-config --exists "${p%%:*}" 2>/dev/null || pkgs="$pkgs ${p#*:}"
done
command -v cc >/dev/null 2>&1 || pkgs="$pkgs gcc libc6-dev"
command -v mandoc >/dev/null 2>&1 || pkgs="$pkgs mandoc"
command -v jq >/dev/null 2>&1 || pkgs="$pkgs jq"
command -v python3 >/dev/null 2>&1 || pkgs="$pkgs python3"
[ -z "$pkgs" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "agentutils: installing build dependencies:$pkgs" >&2
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkgs; } >&2 || {
		echo "agentutils: apt-get install$pkgs failed" >&2; exit 1; }
	exit 0
fi
echo "agentutils: missing build dependencies; run:" >&2
echo "    sudo apt-get install$pkgs" >&2
exit 1
