"$ATTRIB" simulate --design panel --rows 10 --periods 3
