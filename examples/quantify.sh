#!/usr/bin/env sh
# Quantify hypoxia on the built-in synthetic study with the CLI (after `npm run build`).
# 1) write the demo study + report, 2) re-run quantify on its DICOM study with other VOIs,
# 3) a two-row batch (one row points at a missing study to show the error column).
set -e
OUT="${1:-./atsm-demo-example}"
node dist/cli/main.js demo --phantom analytic --small --out "$OUT"
node dist/cli/main.js quantify "$OUT/study" \
  --tumor "component@threshold:41%max@sphere:45,-15,0,30" \
  --reference "sphere:-45,55,-20,12" --cutoff nsclc --out "$OUT/threshold-voi" --json > "$OUT/threshold-voi.json"
cat > "$OUT/studies.csv" <<CSV
id,study,tumor,reference,cutoff
demo,study,"sphere:45,-15,0,18","sphere:-45,55,-20,12",cervix
missing,no-such-study,"sphere:0,0,0,10","sphere:10,10,10,5",cervix
CSV
node dist/cli/main.js quantify --batch "$OUT/studies.csv" --out "$OUT/batch" || true
echo "reports: $OUT/report.html, $OUT/threshold-voi/report.html; batch: $OUT/batch/batch-results.csv"
