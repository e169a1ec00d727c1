# The export files are what tests/data/exports/make.sh writes (regenerate
# them with it, never by hand).
mkdir gen && cp "$DATA/../../data/exports/make.sh" gen/ && bash gen/make.sh
for f in gen/*; do
  b=$(basename "$f")
  cmp -s "$f" "$DATA/../../data/exports/$b" && echo "$b: current" || echo "$b: differs from make.sh's"
done
