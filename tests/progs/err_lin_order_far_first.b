Two cells off the tape: the farther is touched first
+[<<+>[-]>-]
