printf 'a;b\n1,5;2\n' > semi.csv
"$ATTRIB" describe semi.csv --delim ';' --format csv
