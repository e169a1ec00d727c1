"$ATTRIB" --help
