#!/usr/bin/env bash
B=${B:-http://127.0.0.1:45811}; J=/tmp/sec/jar1b.txt
ADMIN=admin@test.se; ADMINPW="ett-riktigt-bra-losen"
rm -f $J; T=$(curl -s -c $J "$B/logga-in" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
sleep 65  # a full bucket again
echo "== 1. 12 wrong passwords at once to POST /logga-in?index (not waited for), then 1 s later each spelling with the RIGHT password:"
(seq 1 12 | xargs -P 12 -I{} curl -s -b $J -o /dev/null -w '%{http_code}\n' -H "Origin: $B" --data-urlencode "csrf=$T" -d "email=ingen{}@test.se&password=fel-losenord" "$B/logga-in?index" | sort | uniq -c | sed 's/^/   flood: /' > /tmp/sec/flood.txt) &
sleep 1
for p in '/logga-in' '/./logga-in' '/x/../logga-in' '/%2e/logga-in' '/api/../logga-in' '/api/..\logga-in' '//logga-in' '/LOGGA-IN/' '/logga%2Din' '/logga-in/'; do
  printf '   %-18s %s\n' "$p" "$(curl -s --path-as-is -b $J -D - -o /dev/null -H "Origin: $B" --data-urlencode "csrf=$T" --data-urlencode "email=$ADMIN" --data-urlencode "password=$ADMINPW" "$B$p?index" | tr -d '\r' | awk 'NR==1{s=$2} /^[Ss]et-[Cc]ookie: (__Host-)?td_session=[^;]/{c=" + SESSION COOKIE"} END{print s c}')"
done
wait; cat /tmp/sec/flood.txt
