A value carried left in a register until the loop walks off the tape:
the error is at the loop's test after the move, after the output before it
++.--
+>+>+>+>+
[>[-<+>]<<]
