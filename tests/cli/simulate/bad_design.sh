"$ATTRIB" simulate --design staggered --rows 10
