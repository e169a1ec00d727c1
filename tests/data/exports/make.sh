#!/usr/bin/env bash
# Writes the small export files of this folder (issue 14): one per quirk of
# the files L&D analysts get from an LMS, an HRIS, a CRM or Excel, and the
# same table written four ways for the round-trip test. Run it from
# anywhere; it rewrites the files in place (printf and glibc's iconv only).
set -euo pipefail
cd "$(dirname "$0")"

# Missing-value codes as Excel, SQL exports, Stata and pandas write them.
printf 'learner_id,tenure,score,role\n00171,3,71.5,Rep\n00172,-,68,Lead\n00173,#N/A,N/A,--\n00174,.,?,None\n00175,NULL,80,Rep\n00176,7,n/a,Rep\n' >na_codes.csv

# A custom code (--na "n.a.,missing") and a near-numeric column without it.
printf 'learner_id,tenure,sales\n1,3,10\n2,n.a.,12\n3,5,missing\n4,6,9\n5,2,11\n6,4,13\n7,3,8\n8,5,10\n' >custom_na.csv

# A US CRM export: currency, thousands separators, accounting negatives,
# percentages (--currency --thousands , --percent).
printf 'account,revenue,margin,quota_share\nA-1,"$3,882.50",(120),84%%\nA-2,"$1,000,000",45,12.5%%\nA-3,$950,"(1,234)",100%%\nA-4,"USD 12,000",+7,0%%\n' >us_crm.csv

# A European Excel export: BOM, CRLF, ';', decimal comma, thousands '.'
# (--decimal , --thousands .).
printf '\xEF\xBB\xBFlearner;sales;share\r\n1;1.234,50;0,25\r\n2;17;1\r\n3;-3,75;0\r\n4;12.000;0,5\r\n' >eu_excel.csv

# The round trip: one table (with a missing value and an accented name)
# written by R's write.csv(row.names = FALSE), by pandas' to_csv(index =
# False), as Excel's "CSV" for a European locale, and as cp1252.
printf '"name","tenure","sales","trained"\n"Zo\xC3\xAB",3,10.5,1\n"Andr\xC3\xA9",NA,12.25,0\n"Kim",5,9,1\n' >roundtrip_r.csv
printf 'name,tenure,sales,trained\nZo\xC3\xAB,3,10.5,1\nAndr\xC3\xA9,,12.25,0\nKim,5,9.0,1\n' >roundtrip_pandas.csv
printf '\xEF\xBB\xBFname;tenure;sales;trained\r\nZo\xC3\xAB;3;10,5;1\r\nAndr\xC3\xA9;;12,25;0\r\nKim;5;9;1\r\n' >roundtrip_excel_eu.csv
iconv -f UTF-8 -t CP1252 roundtrip_r.csv >roundtrip_cp1252.csv
# write.csv's default keeps the row names, under an empty name
printf '"","name","tenure","sales","trained"\n"1","Zo\xC3\xAB",3,10.5,1\n"2","Andr\xC3\xA9",NA,12.25,0\n"3","Kim",5,9,1\n' >roundtrip_r_rownames.csv
# Excel's "Unicode text": UTF-16 LE with a BOM, tab-delimited, CRLF.
printf 'name\ttenure\tsales\ttrained\r\nZo\xC3\xAB\t3\t10.5\t1\r\nAndr\xC3\xA9\t\t12.25\t0\r\nKim\t5\t9\t1\r\n' |
  iconv -f UTF-8 -t UTF-16 >roundtrip_utf16.txt

# A treatment exported as text (trained/control): --treat-level trained.
{ printf 'learner,group,sales,tenure,prior\n'
  awk 'BEGIN { for (i = 1; i <= 60; i++) { g = (i % 3 == 0) ? "trained" : "control"; t = 1 + i % 7; p = (i * 37) % 11
    s = 20 + 2 * t + 0.5 * p + (g == "trained" ? 3 : 0) + ((i * 13) % 5) - 2; printf "%d,%s,%.1f,%d,%d\n", i, g, s, t, p } }'
} >treat_text.csv

# HR ids with leading zeros: kept as written in --matches (issue 14).
{ printf 'employee_id,trained,sales,tenure\n'
  awk 'BEGIN { for (i = 1; i <= 24; i++) printf "%05d,%d,%d,%d\n", 170 + i, i % 3 == 0, 20 + i % 7 + 3 * (i % 3 == 0), i % 5 }'
} >ids_zero.csv

# An Excel workbook given where a CSV belongs (the zip header of .xlsx).
printf 'PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00' >workbook.xlsx
