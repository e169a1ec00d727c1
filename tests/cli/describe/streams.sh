# Inputs that cannot be rewound: a FIFO given by name is read once, like
# standard input ('cannot seek' before), and an endless stream stops at
# its first NUL byte with the byte's line and column (an endless FIFO, a
# pipe of text followed by binary data, or /dev/urandom never ended).
mkfifo fin
printf 'a,b\n1,2\n3,4\n' >fin &
timeout 20 "$ATTRIB" describe fin -q --format csv; echo "exit $?"
mkfifo endless
{ printf 'a,b\n1,2\n3,\0\n'; yes 5,6; } >endless 2>/dev/null &
timeout 20 "$ATTRIB" describe endless -q; echo "exit $?"
{ printf 'a,b\n1,2\n3,\0\n'; yes 5,6; } 2>/dev/null | timeout 20 "$ATTRIB" describe - -q; echo "exit $?"
wait
