#!/usr/bin/env bash
B=${B:-http://127.0.0.1:45811}; J=/tmp/sec/jar4.txt
ADMIN=admin@test.se; ADMINPW="ett-riktigt-bra-losen"
sleep 61
signin() { rm -f $J; local T=$(curl -s -c $J "$B/logga-in" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//'); curl -s -b $J -c $J -D /tmp/sec/h.txt -o /dev/null -H "Origin: $B" --data-urlencode "csrf=$T" --data-urlencode "email=$ADMIN" --data-urlencode "password=$ADMINPW" "$B/logga-in?index"; grep -i '^set-cookie: td_session' /tmp/sec/h.txt | tr -d '\r' | sed 's/^[Ss]et-[Cc]ookie: //'; }
echo "== 4. sessions"
C1=$(signin); echo "cookie: $C1"; K1=${C1%%;*}
C2=$(curl -s -b "$K1" -c /dev/null -D - -o /dev/null "$B/logga-in" >/dev/null; T=$(curl -s -c $J "$B/logga-in" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//'); curl -s -b "$K1" -b $J -D - -o /dev/null -H "Origin: $B" --data-urlencode "csrf=$T" --data-urlencode "email=$ADMIN" --data-urlencode "password=$ADMINPW" "$B/logga-in?index" | tr -d '\r' | grep -i '^set-cookie: td_session' | sed 's/^[Ss]et-[Cc]ookie: //')
K2=${C2%%;*}
echo "second sign-in from the same browser: new cookie differs: $([ "$K1" != "$K2" ] && echo yes || echo NO)"
echo "old cookie on /personal: $(curl -s -o /dev/null -w '%{http_code} -> %{redirect_url}' -b "$K1" "$B/personal")"
echo "new cookie on /personal: $(curl -s -o /dev/null -w '%{http_code}' -b "$K2" "$B/personal")"
sqlite3 /tmp/sec/probe.sqlite "select 'stored session: id '||substr(id,1,16)||'…, csrf '||substr(csrf_token,1,16)||'…, expires '||expires_at||', created '||created_at||', last seen '||last_seen_at from user_session order by created_at desc limit 1;" 2>/dev/null || node -e '1'
echo "== 5. Cache-Control"
for p in /personal '/personal?_data=routes%2Fpersonal._index' '/?_data=root' /logga-in /personal/sessioner; do printf '%-40s %s\n' "$p" "$(curl -s -D - -o /dev/null -b "$K2" "$B$p" | tr -d '\r' | grep -i '^cache-control' )"; done
echo "== 6. lesser findings"
node -e 'const s=require("/work/wt-security/node_modules/sqlite3");const db=new s.Database("/tmp/sec/probe.sqlite");db.get("select password_hash from app_user where email=?",["admin@test.se"],(e,r)=>console.log("stored hash starts:",r.password_hash.split("$").slice(0,4).join("$")))'
T=$(curl -s -c $J "$B/logga-in" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
echo "sign-in without the form token: $(curl -s -o /dev/null -w '%{http_code}' -b $J -H "Origin: $B" --data-urlencode "email=$ADMIN" --data-urlencode "password=$ADMINPW" "$B/logga-in?index")"
echo "sign-in with a token but neither Origin nor Referer: $(curl -s -o /dev/null -w '%{http_code}' -b $J --data-urlencode "csrf=$T" --data-urlencode "email=$ADMIN" --data-urlencode "password=$ADMINPW" "$B/logga-in?index")"
BODY='{"survey":"trygghetsmatning-2025","clientId":"8a0f6c1e-7d3b-4a59-9a55-2f1b3c4d5e6f","answers":{}}'
for ct in 'application/json-patch+json' 'application/json; charset=utf-16' 'application/json;charset=UTF-8' 'application/json'; do printf 'POST /api/responses as %-36s %s\n' "$ct:" "$(curl -s -o /dev/null -w '%{http_code}' -H "Content-Type: $ct" --data-binary "$BODY" "$B/api/responses")"; done
echo "TRACE /: $(curl -s -X TRACE -o /dev/null -w '%{http_code} Allow: ' -D /tmp/sec/t.txt "$B/")$(grep -i '^allow' /tmp/sec/t.txt | tr -d '\r' | cut -d' ' -f2-)"
