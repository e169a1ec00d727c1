# docs/errors.md's bad-input table is generated from tests/cli/bad (class comment, .exit, first line of
# .stderr) by scripts/gen-errors-table.sh: a case added or changed without regenerating it fails here.
bash "$ATTRIB_SOURCE_DIR/scripts/gen-errors-table.sh" --check && echo "docs/errors.md is current"
