#!/usr/bin/env bash
# A self-assessment through the API with curl, as docs/walkthrough.md describes it: MENTOR
# Virginia's staff and Richmond Youth Mentoring's coordinator take Richmond's current cycle
# (or open one) to "submitted": all 92 answers, an evidence document, readiness, submission.
#
# Runs against the stack `make run` started, whatever its ports (it reads them from the
# stack's .local/stack.json), and can be run again: it finds the cycle it needs (open or
# returned: answers it; submitted or in review: Virginia returns it; none or finished:
# Virginia opens one). Any refused request stops it with the status and the problem; a stack
# that is not running is one line saying so.
#
#   scripts/walkthrough.sh
#   NQMS_STATE_DIR=/tmp/other scripts/walkthrough.sh     # a stack started with --state-dir
#   API=https://api.example.org TOKEN_COMMAND="my-login" scripts/walkthrough.sh   # elsewhere
#
# Without TOKEN_COMMAND the local stack's own addresses are used, whatever API holds.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
if [[ ! -x $PYTHON ]]; then
  echo "error: $PYTHON not found: run \`make run\` once first (it installs the tools)" >&2
  exit 2
fi
if [[ -n ${TOKEN_COMMAND:-} ]]; then
  : "${API:?API= names the stack TOKEN_COMMAND= logs in to}"
else
  # The running stack's addresses (export API=...); a stopped one: one line, status 2.
  EXPORTS=$(cd "$ROOT" && "$PYTHON" -m infra.local env) || exit 2
  eval "$EXPORTS"
fi
# A command that prints an ID token for the email given as its last argument.
token() {
  if [[ -n ${TOKEN_COMMAND:-} ]]; then
    $TOKEN_COMMAND "$1"
  else
    (cd "$ROOT" && "$PYTHON" -m infra.local token "$1")
  fi
}

json() { python3 -c "import json,sys; d = json.load(sys.stdin); print($1)"; }

# api METHOD PATH TOKEN [curl options...]: prints the response body; a status of 400 or more
# prints the problem on stderr and fails (which stops the script: set -e).
api() {
  local method=$1 path=$2 token=$3 out status
  shift 3
  out=$(curl -sS -X "$method" -H "Authorization: Bearer $token" -w '\n%{http_code}' "$@" "$API$path")
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  if (( status >= 400 )); then
    echo "$method $path answered $status: $out" >&2
    return 1
  fi
  printf '%s\n' "$out"
}
send() { api "$1" "$2" "$3" -H 'Content-Type: application/json' -d "$4" "${@:5}"; }

VA=$(token staff@mentor-va.example)
RICH=$(token coordinator@richmond-mentoring.example)
PROGRAM=$(api GET /programs "$RICH" | json 'd["items"][0]["program_id"]')

# ---- the cycle: the program's current one if it can be answered, otherwise make one so
CURRENT=$(api GET "/programs/$PROGRAM/cycles" "$VA" \
  | json '" ".join([d["items"][0]["cycle_id"], d["items"][0]["state"]]) if d["items"] else "none none"')
CYCLE=${CURRENT% *}
STATE=${CURRENT#* }
case $STATE in
  open | returned) ;;
  submitted | in_review)  # the affiliate sends it back for changes; answers unlock
    send POST "/cycles/$CYCLE/return" "$VA" '{"comment": "Walkthrough: answer it once more."}' >/dev/null ;;
  none | review_completed | plan_finalized | historical | archived)  # a new cycle may be opened
    CYCLE=$(send POST "/programs/$PROGRAM/cycles" "$VA" '{}' | json 'd["cycle_id"]') ;;
  *)
    echo "cycle $CYCLE is $STATE: not a state this walkthrough knows" >&2
    exit 1 ;;
esac
echo "program $PROGRAM, cycle $CYCLE (was: $STATE)"

# ---- answers. Saving replaces the whole answer: send the notes again with every change.
# An answer that exists is saved with the version you read (If-Match); without it, 409.
VERSIONS=$(api GET "/cycles/$CYCLE/answers" "$RICH" \
  | json '"\n".join(i["code"] + " " + str((i.get("answer") or {}).get("version", "")) for i in d["items"])')
A1_VERSION=$(awk '$1 == "A1" {print $2}' <<<"$VERSIONS")
IF_MATCH=()
[[ -n $A1_VERSION ]] && IF_MATCH=(-H "If-Match: \"$A1_VERSION\"")
SAVED=$(send PUT "/cycles/$CYCLE/answers/A1" "$RICH" \
  '{"in_practice": "yes", "rating": 4, "notes": "Board reviews the plan yearly."}' ${IF_MATCH[@]+"${IF_MATCH[@]}"} \
  | json 'd["version"]')
echo "A1 saved, version $SAVED"
# A save with a stale version is refused with 409 and the current answer (nothing is lost):
STALE=$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $RICH" \
  -H 'Content-Type: application/json' -H "If-Match: \"$((SAVED + 1000))\"" \
  -d '{"in_practice": "no"}' "$API/cycles/$CYCLE/answers/A1")
[[ $STALE == 409 ]] || { echo "a stale save answered $STALE, not 409" >&2; exit 1; }
echo "a stale save of A1: 409"

# The other 91 items.
while read -r CODE VERSION; do
  [[ $CODE == A1 ]] && continue
  IF_MATCH=()
  [[ -n $VERSION ]] && IF_MATCH=(-H "If-Match: \"$VERSION\"")
  send PUT "/cycles/$CYCLE/answers/$CODE" "$RICH" '{"in_practice": "no"}' \
    ${IF_MATCH[@]+"${IF_MATCH[@]}"} >/dev/null
done <<<"$VERSIONS"
echo "answered: $(api GET "/cycles/$CYCLE/answers" "$RICH" | json 'd["progress"]["answered"]') of 92"

# ---- evidence: declare the file, upload it straight to storage with the presigned form,
# confirm (the size and type are checked), link it to items.
FILE=$(mktemp)
trap 'rm -f "$FILE"' EXIT
printf 'Mentor handbook: screening, training, matching, closure.\n' >"$FILE"
SIZE=$(wc -c <"$FILE" | tr -d ' ')
UPLOAD=$(send POST "/programs/$PROGRAM/evidence" "$RICH" \
  '{"filename": "mentor-handbook.txt", "content_type": "text/plain", "size_bytes": '"$SIZE"', "title": "Mentor handbook"}')
DOCUMENT=$(json 'd["document_id"]' <<<"$UPLOAD")
FORM=()
while IFS= read -r -d '' FIELD; do FORM+=(--form-string "$FIELD"); done \
  < <(json '"".join(k + "=" + v + "\0" for k, v in d["upload"]["fields"].items())' <<<"$UPLOAD" | tr -d '\n')
curl -sS --fail-with-body -o /dev/null "${FORM[@]}" -F "file=@$FILE;type=text/plain" \
  "$(json 'd["upload"]["url"]' <<<"$UPLOAD")"
DOC_VERSION=$(send POST "/programs/$PROGRAM/evidence/$DOCUMENT/confirm" "$RICH" '{}' | json 'd["version"]')
LINKED=$(awk 'NR <= 2 {printf "%s\"%s\"", (NR > 1 ? ", " : ""), $1}' <<<"$VERSIONS")
send PUT "/programs/$PROGRAM/evidence/$DOCUMENT/links" "$RICH" "{\"items\": [$LINKED]}" \
  -H "If-Match: \"$DOC_VERSION\"" | json '"evidence " + d["document_id"] + " linked to " + ", ".join(i["code"] for i in d["items"])'

# ---- readiness and submission (a retry with the same Idempotency-Key submits once)
api GET "/cycles/$CYCLE/readiness" "$RICH" | json '"ready: " + str(d["ready"]) + " " + str(d["blockers"])'
KEY="walkthrough-$CYCLE-$(date +%s)-$RANDOM"
STATE=$(api POST "/cycles/$CYCLE/submit" "$RICH" -H "Idempotency-Key: $KEY" | json 'd["state"]')
echo "cycle $CYCLE: $STATE"
[[ $STATE == submitted ]]
