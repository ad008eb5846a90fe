#!/bin/sh
# Checks what agentutils needs: "build" (a C compiler, pkg-config, libbsd,
# PCRE2, json-c), for make check "test" (Check, mandoc, jq, python3, tmux
# for agent-top's pseudo-terminal, zsh for its completion's syntax,
# bubblewrap for the sandbox's tests), and for make check-remote "remote"
# (sshd and ssh, GNU parallel, Slurm and munge).
# With --install, as root on Debian, installs what is missing with apt-get;
# otherwise prints the exact command to run and fails.
# usage: deps.sh [--install] build [test] [remote]
install=
[ "${1-}" = --install ] && { install=1; shift; }
pkgs=
need() { # need PKG: PKG goes on the apt-get line
	pkgs="$pkgs $1"
}
lib() { # lib PKGCONFIG-NAME DEBIAN-PACKAGE
	pkg-config --exists "$1" 2>/dev/null || need "$2"
}
cmd() { # cmd COMMAND DEBIAN-PACKAGE...
	c=$1; shift
	command -v "$c" >/dev/null 2>&1 || need "$*"
}
for set in "$@"; do
	case $set in
	build)
		cmd cc gcc libc6-dev
		cmd pkg-config pkg-config
		lib libbsd libbsd-dev
		lib libpcre2-8 libpcre2-dev
		lib json-c libjson-c-dev ;;
	test)
		lib check check
		cmd mandoc mandoc
		cmd jq jq
		cmd python3 python3
		cmd tmux tmux
		cmd zsh zsh
		cmd bwrap bubblewrap ;;
	remote)
		[ -x /usr/sbin/sshd ] || need openssh-server
		cmd ssh openssh-client
		cmd ssh-keygen openssh-client
		cmd parallel parallel
		[ -x /usr/sbin/slurmctld ] || need slurm-wlm
		[ -x /usr/sbin/munged ] || need munge ;;
	*)
		echo "deps.sh: $set: not build or test" >&2; exit 64 ;;
	esac
done
[ -z "$pkgs" ] && exit 0
if [ -n "$install" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "agentutils: installing:$pkgs" >&2
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends $pkgs; } >&2 || {
		echo "agentutils: apt-get install$pkgs failed" >&2; exit 1; }
	exit 0
fi
echo "agentutils: missing dependencies; run:" >&2
echo "    sudo apt-get install$pkgs" >&2
exit 1
