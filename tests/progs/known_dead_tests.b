known values: tests of cells known to be zero never run
read a byte and clear it then read into the next cell so the loop on the cleared cell is dead
,[-]>,<[.]
a loop that ran leaves its cell zero so the loop after it is dead
>[.[-]][.]< >.<
a scan stops on a zero cell so the loop there is dead
+>+>+>+<<<[>][.]
an IF on that zero cell is dead too and the one left of it runs
[->+<]<[->+<]>.
print what is left
<<<<.>.>.>.>.
