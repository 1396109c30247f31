A scan left by two cells over thirty set cells (the first one read) ends at cell
0: past its first steps it goes on eight at a time and within eight steps of the
tape's start one step at a time: it prints the byte it read
>>,>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+>>+[<<]>>.
