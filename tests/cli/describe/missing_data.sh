"$ATTRIB" describe
