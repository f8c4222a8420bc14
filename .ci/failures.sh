#!/usr/bin/env bash
# Prints each failed test of the given TRX reports with the first lines of its message, so that the end of a CI log
# (often all a reader gets) says what failed, not only how many. Usage: failures.sh REPORT.trx...
set -uo pipefail
reports=()
for report in "$@"; do
  # An unmatched glob (no matrix run, a crashed test host) is not a report.
  [ -f "$report" ] && reports+=("$report")
done
[ "${#reports[@]}" -gt 0 ] || exit 0
awk -v max_tests=10 -v max_lines=4 '
  function unescape(s) {
    gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\x27", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s)
    return s
  }
  FNR == 1 { source = FILENAME; sub(/.*\//, "", source) }
  /<UnitTestResult / {
    failed = ($0 ~ /outcome="Failed"/)
    if (failed) {
      count++
      if (count <= max_tests) {
        match($0, /testName="[^"]*"/)
        print "  " source ": " unescape(substr($0, RSTART + 10, RLENGTH - 11))
      }
    }
  }
  failed && count <= max_tests && /<Message>/ { in_message = 1; lines = 0; sub(/.*<Message>/, "") }
  in_message {
    line = $0
    last = sub(/<\/Message>.*/, "", line)
    if (lines < max_lines) print "      " unescape(line)
    lines++
    if (last) in_message = 0
  }
  /<\/UnitTestResult>/ { failed = 0; in_message = 0 }
  END { if (count > max_tests) print "  ... and " count - max_tests " more failed tests (see the reports)" }
' "${reports[@]}"
