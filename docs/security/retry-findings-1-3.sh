#!/usr/bin/env bash
# Re-tries issue 20's six findings from outside against a running production build.
B=${B:-http://127.0.0.1:45811}
H=${B#http://}
J=/tmp/sec/jar.txt
ADMIN=admin@test.se; ADMINPW="ett-riktigt-bra-losen"
token() { rm -f $J; curl -s -c $J "$B/logga-in" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//'; }
echo "== 1. sign-in rate limit and dot segments"
T=$(token)
for i in $(seq 1 11); do printf "%s " $(curl -s -b $J -o /dev/null -w '%{http_code}' -H "Origin: $B" --data-urlencode "csrf=$T" -d "email=ingen$i@test.se&password=fel-losenord-$i" "$B/logga-in?index"); done; echo
for p in '/./logga-in' '/x/../logga-in' '/%2e/logga-in' '/api/../logga-in' '/api/..\logga-in' '//logga-in' '/LOGGA-IN/' '/logga%2Din'; do
  printf '%-18s wrong:%s right:%s\n' "$p" \
    "$(curl -s --path-as-is -b $J -o /dev/null -w '%{http_code}' -H "Origin: $B" --data-urlencode "csrf=$T" -d "email=ingen@test.se&password=fel" "$B$p?index")" \
    "$(curl -s --path-as-is -b $J -D - -o /dev/null -H "Origin: $B" --data-urlencode "csrf=$T" --data-urlencode "email=$ADMIN" --data-urlencode "password=$ADMINPW" "$B$p?index" | tr -d '\r' | awk 'NR==1{s=$2} /^[Ss]et-[Cc]ookie: (__Host-)?td_session=[^;]/{c=" SESSION COOKIE"} END{print s c}')"
done
printf 'Host: %s/logga-in?  POST /api/x: %s\n' "${H%%:*}" "$(curl -s --path-as-is -b $J -o /dev/null -w '%{http_code}' -H "Host: ${H%%:*}/logga-in?" -H "Origin: $B" --data-urlencode "csrf=$T" -d 'email=a@b.se&password=x' "$B/api/x")"
echo "== 2. body limits"
head -c $((32*1024*1024)) /dev/zero | tr '\0' a > /tmp/sec/32m.txt
PID=$(cat /tmp/sec/serve.pid); SRV=$(pgrep -P $PID -f "app/server/main.ts" | head -1); SRV=${SRV:-$PID}
rss() { for p in $(pgrep -P $PID) $PID; do for c in $(pgrep -P $p) $p; do grep -q main.ts /proc/$c/cmdline 2>/dev/null && awk '/VmRSS/{print $2" kB"}' /proc/$c/status; done; done | sort -u | tail -1; }
echo "server RSS before: $(rss)"
for p in '/api/../logga-in' '/logga-in'; do
  printf '%-18s 32 MiB form: %s\n' "$p" "$(curl -s --path-as-is -o /dev/null -w '%{http_code} in %{time_total}s' -H "Origin: $B" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @/tmp/sec/32m.txt "$B$p?index")"
  printf '%-18s 32 MiB chunked: %s\n' "$p" "$(curl -s --path-as-is -o /dev/null -w '%{http_code} in %{time_total}s' -H "Origin: $B" -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @/tmp/sec/32m.txt "$B$p?index")"
done
echo "server RSS after: $(rss)"
echo "== 3. delays, messages and timing"
msg() { curl -s -b $J -H "Origin: $B" --data-urlencode "csrf=$T" --data-urlencode "email=$1" --data-urlencode "password=$2" -w '\n%{http_code} %{time_total}' "$B/logga-in?index" | grep -o 'Fel e-postadress eller lösenord\.\|För många misslyckade försök\. Vänta [0-9]* s\|^[0-9]* [0-9.]*$' | tr '\n' ' '; echo; }
echo "(server started with RATE_LIMIT_SIGNIN=off so the per-address bucket does not hide the per-account behaviour)"
for who in "$ADMIN" "finns-inte@test.se"; do echo "-- $who"; for i in 1 2 3 4 5 6 7; do printf '  %s: ' $i; msg "$who" "fel-losenord-$i"; done; done
printf 'right password during the delay: '; msg "$ADMIN" "$ADMINPW"
