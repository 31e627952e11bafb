# shellcheck shell=bash
# sshd.bash: real OpenSSH servers on 127.0.0.1 for the remote-job suites.
#
# sshd_start N   starts N sshd processes on free ports of 127.0.0.1, each
#                playing one host: host keys and a client key are generated,
#                only that key may log in, and every login runs in the
#                host's own directory ($SSHD_DIR/hostI, which is also its
#                HOME), so N servers on one machine act as N machines.
#                Writes $SSHD_DIR/ssh_config, where the hosts are named
#                fohost1 .. fohostN, and exports PARALLEL_SSH="ssh -F ...",
#                so that GNU parallel and fanout both use it and nothing
#                touches the real ~/.ssh. Skips the test (with the reason)
#                when sshd cannot start here.
# sshd_stop      stops the servers and their sessions, by process id.
# sshd_kill I    kills host I (server and sessions), as a crash would.
# SSH            the ssh command line to reach the hosts: $SSH fohost1 cmd
#
# Call sshd_start from setup_file and sshd_stop from teardown_file: the
# servers are shared by the tests of one file.

SSHD_BIN=${SSHD_BIN:-/usr/sbin/sshd}

# A free TCP port on 127.0.0.1 (the kernel picks it).
sshd_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

sshd_skip() {
	# Called from setup_file: mark every test as skipped with the reason.
	echo "$1" >"$SSHD_DIR/skip"
}

# In each test, after fanout_setup: skip with the reason sshd_start left,
# if any, and set PARALLEL_SSH.
sshd_need() {
	[[ -n ${SSHD_DIR:-} ]] || skip "sshd_start was not called"
	[[ ! -f $SSHD_DIR/skip ]] || skip "$(<"$SSHD_DIR/skip")"
	# fanout_setup clears PARALLEL_*: point both at the test hosts again.
	SSH="ssh -F $SSHD_DIR/ssh_config"
	export SSH PARALLEL_SSH=$SSH
}

sshd_start() {
	local n=${1:-2} i port user
	SSHD_DIR=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/sshd.XXXXXX")
	export SSHD_DIR
	if [[ ! -x $SSHD_BIN ]] || ! command -v ssh >/dev/null ||
		! command -v ssh-keygen >/dev/null; then
		sshd_skip "OpenSSH server or client not installed"
		return 0
	fi
	# sshd as root needs its privilege separation directory.
	if [[ $(id -u) == 0 ]]; then
		mkdir -p /run/sshd 2>/dev/null
		chmod 755 /run/sshd 2>/dev/null
	fi
	user=$(id -un)
	if ! ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/hostkey" >/dev/null ||
		! ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/userkey" >/dev/null; then
		sshd_skip "ssh-keygen failed"
		return 0
	fi
	cp "$SSHD_DIR/userkey.pub" "$SSHD_DIR/authorized_keys"
	chmod 600 "$SSHD_DIR/authorized_keys"
	: >"$SSHD_DIR/ssh_config"
	for ((i = 1; i <= n; i++)); do
		port=$(sshd_free_port) || {
			sshd_skip "no free port on 127.0.0.1"
			return 0
		}
		mkdir -p "$SSHD_DIR/host$i"
		# Every login starts in the host's directory, with it as HOME,
		# and runs what was asked through the login shell, as sshd
		# itself would.
		cat >"$SSHD_DIR/login$i" <<EOF
#!/bin/sh
cd '$SSHD_DIR/host$i' || exit 255
HOME='$SSHD_DIR/host$i'; export HOME
if [ -z "\${SSH_ORIGINAL_COMMAND+x}" ]; then exec "\${SHELL:-/bin/sh}"; fi
exec "\${SHELL:-/bin/sh}" -c "\$SSH_ORIGINAL_COMMAND"
EOF
		chmod +x "$SSHD_DIR/login$i"
		cat >"$SSHD_DIR/sshd_config$i" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $SSHD_DIR/hostkey
PidFile $SSHD_DIR/sshd$i.pid
AuthorizedKeysFile $SSHD_DIR/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
ForceCommand $SSHD_DIR/login$i
MaxStartups 200
MaxSessions 200
LogLevel ERROR
EOF
		"$SSHD_BIN" -D -e -f "$SSHD_DIR/sshd_config$i" \
			2>>"$SSHD_DIR/sshd$i.log" </dev/null &
		echo $! >"$SSHD_DIR/sshd$i.server"
		cat >>"$SSHD_DIR/ssh_config" <<EOF
Host fohost$i
	HostName 127.0.0.1
	Port $port
	User $user
	IdentityFile $SSHD_DIR/userkey
	IdentitiesOnly yes
	BatchMode yes
	StrictHostKeyChecking no
	UserKnownHostsFile /dev/null
	LogLevel ERROR
	ConnectTimeout 60
EOF
	done
	SSH="ssh -F $SSHD_DIR/ssh_config"
	export SSH PARALLEL_SSH=$SSH
	# Wait until every host answers.
	for ((i = 1; i <= n; i++)); do
		local tries=0
		until $SSH "fohost$i" true </dev/null 2>/dev/null; do
			if ((++tries > 50)) ||
				! kill -0 "$(<"$SSHD_DIR/sshd$i.server")" 2>/dev/null; then
				sshd_skip "sshd cannot start here: $(head -c 300 "$SSHD_DIR/sshd$i.log")"
				sshd_stop
				return 0
			fi
			sleep 0.1
		done
	done
}

# The processes of host I: the server and every process below it.
sshd_tree() {
	local p=$1 c
	echo "$p"
	for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do
		sshd_tree "$c"
	done
}

sshd_kill() {
	local f=$SSHD_DIR/sshd$1.server p
	[[ -f $f ]] || return 0
	for p in $(sshd_tree "$(<"$f")"); do
		kill -KILL "$p" 2>/dev/null
	done
	rm -f "$f"
}

sshd_stop() {
	local f i
	[[ -n ${SSHD_DIR:-} ]] || return 0
	for f in "$SSHD_DIR"/sshd*.server; do
		[[ -f $f ]] || continue
		i=${f##*/sshd}
		sshd_kill "${i%.server}"
	done
}
