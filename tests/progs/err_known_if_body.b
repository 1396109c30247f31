the body of an IF on a known constant touches a cell off the tape
+.>+[-<<+>>]
