# lib.sh — what every suite of make check-remote sources: the CLI helpers
# (../cli/lib.sh: plan, ok, is, run, wait_for) and "hosts".  A host is one
# sshd of its own on a loopback address (127.A.B.2, .3, ... with A.B drawn
# at random, so that two checkouts testing at once do not meet), with its
# own runs directory, config and state directories and the built tools on
# its PATH, reached as the unprivileged user $RUSER through $AGENT_SSH
# (ssh -F with a config written here).  Every daemon and every run started
# on a host is stopped when the suite exits, also when it fails.
#
#   hosts_start h1 h2     start them (and fail the suite when one does not answer)
#   host_runs h1          that host's runs directory (as the test sees it)
#   host_down h1          stop a host's sshd and its connections: it no longer answers
#   host_cut h1           end the host's open connections, its sshd still listening
#   host_up h1            start a stopped host again
#   hssh h1 CMD...        ssh to it as the tools do
. ../cli/lib.sh
if [ "$(id -u)" != 0 ]; then
	echo "Bail out! make check-remote needs root: sshd on loopback addresses, a test user"
	exit 1
fi
RUSER=agentutils-ssh
H=$T/hosts
# the test user must reach its runs directories under $T
chmod 711 "$T"
mkdir -p "$H" "$T/ssh" /run/sshd
chmod 755 "$H" "$T/ssh"
_hosts=
_addr=127.$(od -An -N2 -tu1 /dev/urandom | awk '{ print $1 % 254 + 1 "." $2 }')

# The test user: a system account with /bin/sh (no rc file slows or
# changes a call) and a home of its own (sshd starts there); sshd with
# UsePAM no refuses a locked account, hence the '*' password.
if ! id "$RUSER" >/dev/null 2>&1; then
	useradd -r -m -d "/var/lib/$RUSER" -s /bin/sh "$RUSER" 2>/dev/null ||
		id "$RUSER" >/dev/null 2>&1 || { echo "Bail out! useradd $RUSER failed"; exit 1; }
	usermod -p '*' "$RUSER"
fi
ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/id" </dev/null || exit 1
cp "$T/ssh/id.pub" "$T/ssh/authorized_keys"
chmod 644 "$T/ssh/authorized_keys"
: > "$T/ssh/known_hosts"
: > "$T/ssh/config"
export AGENT_SSH="ssh -F $T/ssh/config"
hssh() { $AGENT_SSH "$@"; }
host_runs() { echo "$H/$1/runs"; }

_host_conf() { # NAME ADDRESS
	d=$H/$1
	mkdir -p "$d/runs" "$d/config/agentutils" "$d/state"
	chown -R "$RUSER" "$d/runs" "$d/config" "$d/state"
	chmod 700 "$d/runs"
	ssh-keygen -q -t ed25519 -N '' -f "$d/hostkey" </dev/null || return 1
	cat > "$d/sshd_config" <<-CONF
	ListenAddress $2:22
	HostKey $d/hostkey
	PidFile $d/sshd.pid
	AuthorizedKeysFile $T/ssh/authorized_keys
	AllowUsers $RUSER
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	StrictModes no
	MaxStartups 100:30:200
	SetEnv AGENT_RUNS=$d/runs XDG_CONFIG_HOME=$d/config XDG_STATE_HOME=$d/state PATH=$BIN:/usr/bin:/bin
	CONF
	echo "$1 $(cut -d' ' -f1,2 "$d/hostkey.pub")" >> "$T/ssh/known_hosts"
	cat >> "$T/ssh/config" <<-CONF
	Host $1
	  HostName $2
	  HostKeyAlias $1
	  User $RUSER
	  IdentityFile $T/ssh/id
	  IdentitiesOnly yes
	  UserKnownHostsFile $T/ssh/known_hosts
	  StrictHostKeyChecking yes
	  BatchMode yes
	  ConnectTimeout 10
	  LogLevel ERROR
	CONF
	echo "$2" > "$d/address"
}

host_up() { # NAME: its sshd, in the background, until it answers
	/usr/sbin/sshd -D -e -f "$H/$1/sshd_config" 2>>"$H/$1/log" &
	echo $! > "$H/$1/pid"
	wait_for 15 hssh "$1" true
}

hosts_start() {
	_i=1
	for h; do
		_i=$((_i + 1))
		_host_conf "$h" "$_addr.$_i" || { echo "Bail out! $h: setting up"; exit 1; }
		_hosts="$_hosts $h"
	done
	for h; do
		host_up "$h" || { echo "Bail out! $h: sshd does not answer on $(cat "$H/$h/address"):"
			sed 's/^/# /' "$H/$h/log"; exit 1; }
	done
}

_children() { ps -o pid= --ppid "$1" 2>/dev/null; }

# The connections' own sshd processes (the privileged monitor and its
# unprivileged child that holds the connection): their clients see them
# drop; what they ran on the host is left to notice it.
host_cut() {
	[ -s "$H/$1/pid" ] || return 0
	for c in $(_children "$(cat "$H/$1/pid")"); do
		for g in $(_children "$c"); do
			[ "$(cat "/proc/$g/comm" 2>/dev/null)" = sshd ] && kill "$g" 2>/dev/null
		done
		kill "$c" 2>/dev/null
	done
}

host_down() {
	[ -s "$H/$1/pid" ] || return 0
	p=$(cat "$H/$1/pid")
	# its connections first: once the listener is gone they are no
	# longer its children
	host_cut "$1"
	kill "$p" 2>/dev/null
	wait_for 10 exited "$p"
	wait "$p" 2>/dev/null
	: > "$H/$1/pid"
}

# Runs still alive on a host are stopped (as root, in its runs directory),
# ssh masters are told to exit, and every sshd is stopped.
hosts_stop() {
	for h in $_hosts; do
		for id in $(AGENT_RUNS=$H/$h/runs agent-ls -a 2>/dev/null | awk -F '\t' '$2 ~ /^(starting|running|stuck)$/ { print $1 }'); do
			AGENT_RUNS=$H/$h/runs agent-kill -t 1 "$id" 2>/dev/null
		done
		hssh -O exit "$h" 2>/dev/null
		host_down "$h"
	done
	_hosts=
}
trap 'hosts_stop; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
