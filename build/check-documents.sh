#!/usr/bin/env bash
# Renders the yearly report as DOCX and XLSX and converts both with LibreOffice: a document
# Word or Excel would open but LibreOffice cannot convert is a defect. Installs Debian's
# headless LibreOffice when it is missing. Prints one line per document and exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v libreoffice >/dev/null; then
  echo "Installing libreoffice-writer-nogui and libreoffice-calc-nogui"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null
fi

out=$(mktemp -d)
chmod 755 "$out" # the embedded cluster below runs as the postgres user and must reach its folder
REPORT_OUTPUT="$out" dotnet test tests/EventSourcedDisclosure.Reports.Tests --filter "FullyQualifiedName~Documents_are_written" >/dev/null 2>&1

# The operator's path: the demo year seeded with the CLI into an embedded cluster, then its report.
year=$(( $(TZ=Asia/Shanghai date +%Y) - 1 ))
esd() { dotnet run --project src/EventSourcedDisclosure.Cli -- "$@" --data-dir "$out/demo"; }
if ! { esd seed-demo >"$out/seed.log" 2>&1 && esd report lyxjyj "$year" --format docx --out "$out/demo-report.docx" >>"$out/seed.log" 2>&1; }; then
  echo "esd seed-demo / report failed:"; tail -n 20 "$out/seed.log"
fi

status=0
for file in "$out"/annual-report.docx "$out"/annual-report.xlsx "$out"/demo-report.docx; do
  if [ ! -s "$file" ]; then echo "missing: $file"; status=1; continue; fi
  # A private profile: LibreOffice refuses to start twice on one, and CI may run as root.
  timeout 180 libreoffice -env:UserInstallation=file://"$out"/profile --headless --convert-to pdf --outdir "$out" "$file" >/dev/null 2>&1
  pdf="${file%.*}.pdf"
  if [ -s "$pdf" ] && head -c 5 "$pdf" | grep -q '%PDF-'; then
    echo "converted: $(basename "$file") -> $(basename "$pdf") ($(stat -c %s "$pdf") bytes)"
  else
    echo "LibreOffice could not convert $(basename "$file")"; status=1
  fi
done
rm -rf "$out"
exit "$status"
