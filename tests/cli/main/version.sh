"$ATTRIB" --version
