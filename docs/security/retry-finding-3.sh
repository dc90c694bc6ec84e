#!/usr/bin/env bash
B=${B:-http://127.0.0.1:45813}; J=/tmp/sec/jar3.txt
rm -f $J; T=$(curl -s -c $J "$B/logga-in" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
try() { curl -s -b $J -H "Origin: $B" --data-urlencode "csrf=$T" --data-urlencode "email=$1" --data-urlencode "password=$2" -o /tmp/sec/body.html -w '%{http_code} %{time_total}' "$B/logga-in?index"; printf ' %s\n' "$(grep -o 'role="alert" id="login-error">[^<]*' /tmp/sec/body.html | sed 's/.*>//')"; }
echo "== 3. (server with RATE_LIMIT_SIGNIN=off, so only the delays per address tried act)"
for who in admin2@test.se finns-inte@test.se; do echo "-- $who, 9 wrong passwords one after the other:"; for i in $(seq 1 9); do printf '   %s: ' $i; try "$who" "fel-losenord-$i"; done; done
printf -- '-- admin2@test.se, the RIGHT password now: '; try admin2@test.se ett-riktigt-bra-losen
echo "-- timing, 10 interleaved rounds: unknown address / wrong password (t1, t2: under 5 failures each) / account in a delay (admin2)"
u=(); w=(); d=()
for r in $(seq 1 10); do
  u+=($(curl -s -o /dev/null -b $J -H "Origin: $B" --data-urlencode "csrf=$T" -d "email=okand$r@test.se&password=fel-losenord-x" -w '%{time_total}' "$B/logga-in?index"))
  acct=t$(( (r-1)/5 + 1 ))@test.se
  w+=($(curl -s -o /dev/null -b $J -H "Origin: $B" --data-urlencode "csrf=$T" --data-urlencode "email=$acct" -d "password=fel-losenord-x" -w '%{time_total}' "$B/logga-in?index"))
  d+=($(curl -s -o /dev/null -b $J -H "Origin: $B" --data-urlencode "csrf=$T" -d "email=admin2@test.se&password=fel-losenord-x" -w '%{time_total}' "$B/logga-in?index"))
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{printf "%.1f ms", a[int((NR+1)/2)]*1000}'; }
echo "   medians: unknown $(med "${u[@]}"), wrong password $(med "${w[@]}"), in a delay $(med "${d[@]}")"
echo "   all: unknown ${u[*]}"; echo "        wrong   ${w[*]}"; echo "        delay   ${d[*]}"
