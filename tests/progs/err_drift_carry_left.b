A value carried left in a register until the loop walks off the tape:
the error is at the inner loop's test, after the output before it
++.>>+
[[-<+>]<]
