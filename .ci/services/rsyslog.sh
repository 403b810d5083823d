#!/usr/bin/env bash
# Starts an rsyslog receiver for the syslog output tests (idempotent): UDP and TCP on
# 127.0.0.1:5514 and a unix datagram socket, each logging every message with its parsed
# RFC 5424 fields to its own file. Installs nothing (rsyslog is in .ci/apt-packages.d/store.txt).
set -euo pipefail
DIR=${VIGIL_RSYSLOG_DIR:-/var/tmp/vigil-rsyslog}
PORT=${VIGIL_RSYSLOG_PORT:-5514}
command -v rsyslogd >/dev/null || { echo "rsyslog.sh: rsyslogd not installed" >&2; exit 1; }
mkdir -p "$DIR/work"
if [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; then echo "rsyslog already running"; exit 0; fi
cat > "$DIR/rsyslog.conf" <<CONF
global(workDirectory="$DIR/work" maxMessageSize="64k")
module(load="imuxsock" SysSock.Use="off")
module(load="imudp")
module(load="imtcp")
template(name="fields" type="string" string="%protocol-version%|%pri%|%timereported:::date-rfc3339%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%|%msg%\n")
ruleset(name="udp") { action(type="omfile" file="$DIR/udp.log" template="fields") }
ruleset(name="tcp") { action(type="omfile" file="$DIR/tcp.log" template="fields") }
ruleset(name="unix") { action(type="omfile" file="$DIR/unix.log" template="fields") }
input(type="imudp" address="127.0.0.1" port="$PORT" ruleset="udp")
input(type="imtcp" address="127.0.0.1" port="$PORT" ruleset="tcp")
input(type="imuxsock" socket="$DIR/log.sock" useSpecialParser="off" parseHostname="on" ignoreTimestamp="off" ruleset="unix")
CONF
rsyslogd -f "$DIR/rsyslog.conf" -i "$DIR/pid"
for _ in $(seq 1 20); do [ -S "$DIR/log.sock" ] && break; sleep 0.25; done
echo "rsyslog ready: udp/tcp 127.0.0.1:$PORT, unix $DIR/log.sock, logs in $DIR"
