"$ATTRIB" describe --help | head -3
