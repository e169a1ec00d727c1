# The golden comparison's number rule (tests/support/numdiff.c): last-bit
# differences pass, a changed printed digit, a changed word or a missing
# line end do not.
nd() { printf -- "$1" >e; printf -- "$2" >g; "$ATTRIB_NUMDIFF" e g 2>/dev/null; echo "$3: exit $?"; }
nd '{"ci":5.995291713318862}\n' '{"ci":5.995291713318864}\n' "last bits"
nd 'SE 4.09974\n' 'SE 4.09975\n' "sixth digit"
nd 'x1 0.5\n' 'x2 0.5\n' "text"
nd '1e-300 -0 nan inf\n' '1.0000000000001e-300 0 nan inf\n' "tiny, zero, nan, inf"
nd 'inf\n' '-inf\n' "signed infinity"
nd 'a\n' 'a' "line end"
nd 'a\nb\n' 'a\n' "missing line"
