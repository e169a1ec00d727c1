# class: usage; ols --pushdown --coefficients-from without --stats-out: exit 2 (it writes statistics, not a fit)
"$ATTRIB" ols "postgresql://nobody@/nodb?host=/nonexistent&table=t" --pushdown --formula "y ~ x" --coefficients-from m.json -o out.txt
code=$?
ls out.* 2>/dev/null || echo "no output file"
exit $code
