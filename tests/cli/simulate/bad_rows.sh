"$ATTRIB" simulate --rows abc
